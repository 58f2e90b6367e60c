using System.Text.Json;
using System.Text.Json.Serialization;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A serialisable description of a multi-task network, from which <see cref="NetworkFactory.Create"/> rebuilds the
/// exact same module (same parameters, same <c>state_dict</c> keys). A model file stores it as JSON
/// (<see cref="ToJson"/>) beside the weights.
/// </summary>
public sealed record NetworkConfig
{
    /// <summary>
    /// The recommended learning-rate multiplier for the cross-stitch weights under Adam. Misra et al. boosted them
    /// by 10^2 to 10^3 under SGD, where a step is proportional to the gradient, and the stitch gradients are tiny.
    /// Adam's step is about the learning rate whatever the gradient's size, so a 10x boost already lets the mixing
    /// move from 0.9/0.1 within an epoch while a 100x boost at 1e-3 makes it jump by 0.1 a step.
    /// </summary>
    public const double RecommendedAdamStitchMultiplier = 10;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Gets the trunk preset's name (see <see cref="TrunkPresets.Names"/>).</summary>
    /// <value>The default is <c>tcdcn</c>.</value>
    public string Preset { get; init; } = TrunkPresets.TcdcnName;

    /// <summary>Gets a custom trunk that replaces the preset, or <see langword="null"/> to use the preset.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public TrunkSpec? Trunk { get; init; }

    /// <summary>Gets how the network shares its trunk.</summary>
    /// <value>The default is <see cref="ArchitectureKind.Shared"/>.</value>
    public ArchitectureKind Architecture { get; init; } = ArchitectureKind.Shared;

    /// <summary>
    /// Gets the split stage k of <see cref="ArchitectureKind.Split"/>: stages before k are shared, the rest copied per
    /// group. 0 gives independent networks, the number of stages gives hard sharing.
    /// </summary>
    /// <value>The default is 0.</value>
    public int SplitStage { get; init; }

    /// <summary>
    /// Gets the task groups of split and cross-stitch networks (one column per group, by task name), or
    /// <see langword="null"/> for one column per task.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyList<IReadOnlyList<string>>? TaskGroups { get; init; }

    /// <summary>
    /// Gets the stages after which a cross-stitch unit mixes the columns, or <see langword="null"/> for all.
    /// </summary>
    /// <value>The default is <see langword="null"/> (after every stage).</value>
    public IReadOnlyList<string>? CrossStitchStages { get; init; }

    /// <summary>Gets how finely the cross-stitch units mix.</summary>
    /// <value>The default is <see cref="CrossStitchMode.PerChannel"/>.</value>
    public CrossStitchMode CrossStitchMode { get; init; } = CrossStitchMode.PerChannel;

    /// <summary>
    /// Gets the initial weight of a column's own activations; 1 - it is spread over the other columns.
    /// </summary>
    /// <value>The default is 0.9.</value>
    public double CrossStitchOwnWeight { get; init; } = 0.9;

    /// <summary>
    /// Gets the learning-rate multiplier the trainer should apply to <see cref="MultiTaskNetwork.BoostedParameters"/>
    /// through an optimizer parameter group.
    /// </summary>
    /// <value>The default is <see cref="RecommendedAdamStitchMultiplier"/> (10).</value>
    public double CrossStitchLearningRateMultiplier { get; init; } = RecommendedAdamStitchMultiplier;

    /// <summary>
    /// Gets lambda of the mutual weight regularization between corresponding weights of the columns (split and
    /// cross-stitch networks); 0 turns it off. The penalty is a mean over weights, so lambda does not depend on
    /// layer sizes.
    /// </summary>
    /// <value>The default is 0.</value>
    public double MutualRegularization { get; init; }

    /// <summary>
    /// Gets a value indicating whether the mutual regularization compares a learnable affine map a*W_A + b of one
    /// column's weights with the other's, as in the original study (a is kept within [1/2, 2]).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool MutualAffine { get; init; }

    /// <summary>Gets the tasks, in the order of the heads.</summary>
    /// <value>The default is <see cref="TaskSpec.Mtfl"/>.</value>
    public IReadOnlyList<TaskSpec> Tasks { get; init; } = TaskSpec.Mtfl;

    /// <summary>Reads a configuration written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="JsonException">The text is not a configuration.</exception>
    public static NetworkConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<NetworkConfig>(json, JsonOptions)
            ?? throw new JsonException("The network configuration is null.");
    }

    /// <summary>Writes the configuration as indented JSON with camel-case names and enum names as strings.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Gets the trunk: <see cref="Trunk"/> when set, else the preset.</summary>
    /// <returns>The trunk.</returns>
    /// <exception cref="ArgumentException">The preset is unknown.</exception>
    public TrunkSpec ResolveTrunk() => Trunk ?? TrunkPresets.Get(Preset);

    /// <summary>
    /// Gets the tasks the network predicts: the first task alone for <see cref="ArchitectureKind.SingleTask"/>.
    /// </summary>
    /// <returns>The tasks.</returns>
    public IReadOnlyList<TaskSpec> ResolveTasks() =>
        Architecture == ArchitectureKind.SingleTask ? Tasks.Take(1).ToArray() : Tasks;

    /// <summary>Gets the column groups: <see cref="TaskGroups"/> when set, else one group per task.</summary>
    /// <returns>The groups of task names.</returns>
    public IReadOnlyList<IReadOnlyList<string>> ResolveGroups() =>
        TaskGroups ?? ResolveTasks().Select(t => (IReadOnlyList<string>)new[] { t.Name }).ToArray();
}
