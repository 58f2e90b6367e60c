using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Preprocessing;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Serialization;
using TorchSharp;

namespace MultiTask.Landmarks.Inference;

/// <summary>
/// A network together with everything needed to use it on a photo: its configuration, the landmark schema, the
/// preprocessing (crop size, padding, channels, normalisation) and the box policy it was trained with. One
/// <c>.mtl</c> file holds all of it.
/// </summary>
public sealed class LandmarkModel : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Initializes a new instance of the <see cref="LandmarkModel"/> class around a network.</summary>
    /// <param name="network">The network; the model owns it from now on.</param>
    /// <param name="schema">The landmark schema of the network's landmark task.</param>
    /// <param name="crop">The preprocessing; it must fit the network's input.</param>
    /// <param name="boxPolicy">The box policy the network was trained with.</param>
    /// <exception cref="ArgumentException">The crop does not fit the network's input.</exception>
    public LandmarkModel(
        ColumnNetwork network, LandmarkSchema schema, CropOptions crop, BoxPolicy boxPolicy = BoxPolicy.Listed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(crop);
        long[] shape = network.InputShape;
        if (crop.Channels != shape[0] || crop.Height != shape[1] || crop.Width != shape[2])
        {
            throw new ArgumentException(
                $"Crops of {crop.Channels}x{crop.Height}x{crop.Width} do not fit the network's input " +
                $"{string.Join("x", shape)}.",
                nameof(crop));
        }

        Network = network;
        Schema = schema;
        Crop = crop;
        BoxPolicy = boxPolicy;
    }

    /// <summary>Gets the network.</summary>
    public ColumnNetwork Network { get; }

    /// <summary>Gets the network's configuration.</summary>
    public NetworkConfig Config => Network.Config;

    /// <summary>Gets the landmark schema.</summary>
    public LandmarkSchema Schema { get; }

    /// <summary>Gets the preprocessing.</summary>
    public CropOptions Crop { get; }

    /// <summary>Gets the box policy the network was trained with.</summary>
    public BoxPolicy BoxPolicy { get; }

    /// <summary>Creates an untrained model from a configuration, with crops that fit its input.</summary>
    /// <param name="config">The network configuration.</param>
    /// <param name="schema">The landmark schema; <see langword="null"/> for <see cref="LandmarkSchema.Mtfl5"/>.</param>
    /// <param name="padding">The crop padding around the face box.</param>
    /// <param name="boxPolicy">The box policy of the training data.</param>
    /// <returns>The model.</returns>
    public static LandmarkModel Create(
        NetworkConfig config,
        LandmarkSchema? schema = null,
        float padding = 0.1f,
        BoxPolicy boxPolicy = BoxPolicy.Listed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ColumnNetwork network = NetworkFactory.Create(config);
        CropOptions crop = Training.Trainer.CropFor(network, padding);
        return new LandmarkModel(network, schema ?? LandmarkSchema.Mtfl5, crop, boxPolicy);
    }

    /// <summary>Writes the model file atomically.</summary>
    /// <param name="path">The destination, conventionally ending in <c>.mtl</c>.</param>
    /// <param name="training">Optional metadata about the training run, stored as JSON.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public void Save(string path, object? training = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using JsonDocument network = JsonDocument.Parse(Config.ToJson());
        var header = new ModelFileHeader
        {
            Network = network.RootElement.Clone(),
            Tasks = Config.ResolveTasks(),
            Schema = Schema,
            Preprocessing = JsonSerializer.SerializeToElement(new Preprocessing(Crop, BoxPolicy), JsonOptions),
            Training = training is null
                ? null
                : JsonSerializer.SerializeToElement(training, training.GetType(), JsonOptions),
            LibraryVersion = typeof(LandmarkModel).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        };
        ModelFile.Write(path, header, Network, logger);
    }

    /// <summary>Reads a model file and rebuilds the network on the requested device.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="device">The device; <see langword="null"/> for <see cref="DeviceRequest.Auto"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <returns>The model, in evaluation mode.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is corrupt, truncated, of another version, or its weights do
    /// not fit the network it describes; the message names the file.</exception>
    public static LandmarkModel Load(string path, DeviceRequest? device = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        TorchRuntimeInfo runtime = TorchRuntime.Initialize(
            new TorchRuntimeOptions { Device = device ?? DeviceRequest.Auto }, logger);
        using ModelFileContents contents = ModelFile.Read(path, logger);
        NetworkConfig config;
        Preprocessing preprocessing;
        try
        {
            config = NetworkConfig.FromJson(contents.Header.Network.GetRawText());
            preprocessing = contents.Header.Preprocessing?.Deserialize<Preprocessing>(JsonOptions)
                ?? throw new JsonException("the header has no preprocessing section");
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFileException(
                path, $"its header cannot be used by this library: {exception.Message}", exception);
        }

        ColumnNetwork network;
        try
        {
            // A header can parse and still describe no buildable network (an unknown preset, a stage that does not
            // fit its input); that is a bad file, not a bad argument.
            network = NetworkFactory.Create(config);
        }
        catch (ArgumentException exception)
        {
            throw new ModelFileException(path, $"its network cannot be built: {exception.Message}", exception);
        }

        try
        {
            contents.LoadInto(network);
            network.to(runtime.Device);
            network.eval();
            return new LandmarkModel(network, contents.Header.Schema, preprocessing.Crop, preprocessing.BoxPolicy);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();

    /// <summary>The preprocessing section of a model file.</summary>
    /// <param name="Crop">The crop options.</param>
    /// <param name="BoxPolicy">The box policy.</param>
    private sealed record Preprocessing(CropOptions Crop, BoxPolicy BoxPolicy);
}
