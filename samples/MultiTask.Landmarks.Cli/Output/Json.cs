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

    /// <summary>Turns NaN and infinities into null so that the JSON is valid for every reader.</summary>
    public static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
