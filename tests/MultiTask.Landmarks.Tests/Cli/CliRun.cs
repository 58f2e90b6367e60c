using System.Text.Json;
using MultiTask.Landmarks.Cli;

namespace MultiTask.Landmarks.Tests.Cli;

/// <summary>Runs mtl in this process through its command-line root, as the program's Main does.</summary>
internal static class CliRun
{
    public static Task<int> RunAsync(params string[] args) => MtlApp.RunAsync(args);

    public static Task<int> RunAsync(CancellationToken token, params string[] args) => MtlApp.RunAsync(args, token);

    public static JsonElement ReadJson(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
