namespace MultiTask.Landmarks.Modules;

/// <summary>
/// Split at stage k: stages before k are shared (<c>trunk.*</c>), the rest is copied per task group
/// (<c>columns.{group}.*</c>). k = 0 gives independent networks, k = the number of stages gives hard sharing with
/// the same keys as <see cref="SharedTrunkNetwork"/>.
/// </summary>
public sealed class SplitNetwork : ColumnNetwork
{
    /// <summary>Initializes a new instance of the <see cref="SplitNetwork"/> class.</summary>
    /// <param name="config">The configuration; its architecture must be split.</param>
    /// <exception cref="ArgumentException">The configuration is of another architecture or inconsistent.</exception>
    public SplitNetwork(NetworkConfig config)
        : base(nameof(SplitNetwork), Check(config), config.SplitStage, crossStitch: false)
    {
    }

    private static NetworkConfig Check(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture != ArchitectureKind.Split)
        {
            throw new ArgumentException($"A split network's architecture is split, not {config.Architecture}.",
                nameof(config));
        }

        return config;
    }
}
