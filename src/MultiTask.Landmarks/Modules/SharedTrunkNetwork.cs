namespace MultiTask.Landmarks.Modules;

/// <summary>
/// Hard sharing: one trunk (<c>trunk.*</c>) and one head per task (<c>heads.{task}.*</c>). With
/// <see cref="ArchitectureKind.SingleTask"/> it keeps the first task alone, the single-task baseline.
/// </summary>
public sealed class SharedTrunkNetwork : ColumnNetwork
{
    /// <summary>Initializes a new instance of the <see cref="SharedTrunkNetwork"/> class.</summary>
    /// <param name="config">The configuration; its architecture must be single or shared.</param>
    /// <exception cref="ArgumentException">The configuration is of another architecture or inconsistent.</exception>
    public SharedTrunkNetwork(NetworkConfig config)
        : base(nameof(SharedTrunkNetwork), Check(config), config.ResolveTrunk().Stages.Count, crossStitch: false)
    {
    }

    private static NetworkConfig Check(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture is not (ArchitectureKind.SingleTask or ArchitectureKind.Shared))
        {
            throw new ArgumentException(
                $"A shared-trunk network is single or shared, not {config.Architecture}.", nameof(config));
        }

        return config;
    }
}
