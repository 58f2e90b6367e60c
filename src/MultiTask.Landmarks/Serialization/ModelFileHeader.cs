using System.Text.Json;
using System.Text.Json.Serialization;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Serialization;

/// <summary>
/// Everything a model file holds besides its weights: what is needed to rebuild the network and prepare its input.
/// The network configuration, preprocessing options and training metadata are JSON blobs whose shape belongs to the
/// layers that write them; this container stores them verbatim.
/// </summary>
public sealed record ModelFileHeader
{
    /// <summary>Gets the format version the file was written with; <see cref="ModelFile.Write(string, ModelFileHeader,
    /// IReadOnlyDictionary{string, TorchSharp.torch.Tensor}, Microsoft.Extensions.Logging.ILogger?)"/> always writes
    /// <see cref="ModelFile.CurrentFormatVersion"/>.</summary>
    /// <value>The default is <see cref="ModelFile.CurrentFormatVersion"/>.</value>
    [JsonIgnore]
    public int FormatVersion { get; init; } = ModelFile.CurrentFormatVersion;

    /// <summary>Gets the network configuration (architecture and sizes), as JSON.</summary>
    public required JsonElement Network { get; init; }

    /// <summary>Gets the tasks, in the order of the network's heads.</summary>
    public required IReadOnlyList<TaskSpec> Tasks { get; init; }

    /// <summary>Gets the landmark schema: point names and mirror pairs.</summary>
    [JsonConverter(typeof(LandmarkSchemaJsonConverter))]
    public required LandmarkSchema Schema { get; init; }

    /// <summary>Gets the preprocessing options (crop, size, normalisation), as JSON, or <see langword="null"/>.
    /// </summary>
    public JsonElement? Preprocessing { get; init; }

    /// <summary>Gets the training metadata (recipe, epochs, metrics), as JSON, or <see langword="null"/>.</summary>
    public JsonElement? Training { get; init; }

    /// <summary>Gets the version of the library that wrote the file; filled in by the writer when
    /// <see langword="null"/>.</summary>
    public string? LibraryVersion { get; init; }

    /// <summary>Gets when the file was written; filled in by the writer when <see langword="null"/>.</summary>
    public DateTimeOffset? CreatedUtc { get; init; }
}
