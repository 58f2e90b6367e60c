using MultiTask.Landmarks.Modules;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>The architectures the network benchmarks compare, all on the TCDCN trunk with the five MTFL tasks.
/// </summary>
internal static class Architectures
{
    /// <summary>Gets the names BenchmarkDotNet's <c>[ParamsSource]</c> lists, in the order of the report.</summary>
    public static IEnumerable<string> Names =>
    [
        "single", "shared", "split-0", "split-1", "split-2", "split-3", "split-4", "split-2+mutual",
        "stitch-channel", "stitch-stage", "stitch-channel+mutual", "split-0/2", "stitch-channel/2",
    ];

    /// <summary>Gets the configuration of a named architecture.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The configuration.</returns>
    public static NetworkConfig Get(string name)
    {
        // The mutual loss is the one thing a "+mutual" variant adds; 0.1 is only a size that keeps it in the graph.
        // A "/2" variant has two columns, landmarks and the four attributes, instead of one per task.
        bool twoColumns = name.EndsWith("/2", StringComparison.Ordinal);
        string shape = twoColumns ? name[..^"/2".Length] : name;
        bool mutual = shape.EndsWith("+mutual", StringComparison.Ordinal);
        shape = mutual ? shape[..^"+mutual".Length] : shape;
        var config = new NetworkConfig
        {
            MutualRegularization = mutual ? 0.1 : 0,
            TaskGroups = twoColumns ? [["landmarks"], ["gender", "smile", "glasses", "pose"]] : null,
        };
        return shape switch
        {
            "single" => config with { Architecture = ArchitectureKind.SingleTask },
            "shared" => config with { Architecture = ArchitectureKind.Shared },
            "stitch-channel" => config with
            {
                Architecture = ArchitectureKind.CrossStitch, CrossStitchMode = CrossStitchMode.PerChannel,
            },
            "stitch-stage" => config with
            {
                Architecture = ArchitectureKind.CrossStitch, CrossStitchMode = CrossStitchMode.PerStage,
            },
            _ when shape.StartsWith("split-", StringComparison.Ordinal) => config with
            {
                Architecture = ArchitectureKind.Split,
                SplitStage = int.Parse(shape["split-".Length..], System.Globalization.CultureInfo.InvariantCulture),
            },
            _ => throw new ArgumentException(
                $"Unknown architecture '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
