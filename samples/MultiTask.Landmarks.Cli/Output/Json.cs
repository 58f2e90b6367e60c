using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiTask.Landmarks.Cli.Output;

/// <summary>How mtl writes JSON: camelCase, indented, NaN and infinities as null.</summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(string path, T value)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = path + ".partial";
        File.WriteAllText(temporary, Serialize(value));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a file written by <see cref="Write{T}"/>, or returns <see langword="null"/> when it is absent or
    /// unreadable (a run interrupted while writing leaves only the .partial file).</summary>
    public static T? TryRead<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Turns NaN and infinities into null so that the JSON is valid for every reader.</summary>
    public static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
