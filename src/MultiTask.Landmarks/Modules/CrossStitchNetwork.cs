namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A cross-stitch network (Misra et al., CVPR 2016): one full column per task group (<c>columns.{group}.*</c>),
/// mixed after the chosen stages by cross-stitch units (<c>stitches.{stage}.weight</c>) whose weights start at
/// <see cref="NetworkConfig.CrossStitchOwnWeight"/> for a column's own activations. Train the units' weights
/// (<see cref="MultiTaskNetwork.BoostedParameters"/>) with the learning rate times
/// <see cref="NetworkConfig.CrossStitchLearningRateMultiplier"/>.
/// </summary>
public sealed class CrossStitchNetwork : ColumnNetwork
{
    /// <summary>Initializes a new instance of the <see cref="CrossStitchNetwork"/> class.</summary>
    /// <param name="config">The configuration; its architecture must be cross-stitch.</param>
    /// <exception cref="ArgumentException">The configuration is of another architecture, has fewer than two task
    /// groups, or is otherwise inconsistent.</exception>
    public CrossStitchNetwork(NetworkConfig config)
        : base(nameof(CrossStitchNetwork), Check(config), 0, crossStitch: true)
    {
    }

    /// <summary>
    /// Reads the learned mixing weights of every unit, in stage order, as plain arrays indexed [from][to]: how much
    /// each column borrows from each other column, layer by layer.
    /// </summary>
    /// <returns>One entry per cross-stitch unit.</returns>
    public IReadOnlyList<CrossStitchWeights> MixingWeights() =>
        Stitches.OrderBy(p => p.Key)
            .Select(p => new CrossStitchWeights(TrunkSpec.Stages[p.Key].Name, ColumnNames, p.Value.FromToMatrix()))
            .ToArray();

    private static NetworkConfig Check(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture != ArchitectureKind.CrossStitch)
        {
            throw new ArgumentException(
                $"A cross-stitch network's architecture is cross-stitch, not {config.Architecture}.", nameof(config));
        }

        return config;
    }
}
