using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// The common form of every architecture: a shared run of stages (<c>trunk.*</c>), then one column per task group
/// with the remaining stages (<c>columns.{group}.*</c>), optionally mixed by cross-stitch units
/// (<c>stitches.{stage}.weight</c>), then one linear head per task on its group's column (<c>heads.{task}.*</c>),
/// and the mutual weight regularization's affine parameters when asked (<c>mutual.*</c>). Hard sharing has no
/// columns; independent and cross-stitch networks have an empty shared run.
/// </summary>
public abstract class ColumnNetwork : MultiTaskNetwork
{
    private readonly Trunk trunk;
    private readonly ModuleGroup<Trunk> columns = new(nameof(columns));
    private readonly ModuleGroup<CrossStitchUnit>? stitches;
    private readonly ModuleGroup<Linear> heads = new(nameof(heads));
    private readonly MutualWeightRegularization? mutual;

    private readonly TaskSpec[] tasks;
    private readonly int[] taskColumn;
    private readonly Dictionary<int, CrossStitchUnit> stitchAfter = new();

    /// <summary>Initializes a new instance of the <see cref="ColumnNetwork"/> class.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="splitStage">The first stage that is copied per group (the number of stages for none).</param>
    /// <param name="crossStitch">Whether cross-stitch units mix the columns.</param>
    /// <exception cref="ArgumentException">The configuration is inconsistent (see the message).</exception>
    protected ColumnNetwork(string name, NetworkConfig config, int splitStage, bool crossStitch)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        TrunkSpec = config.ResolveTrunk();
        IReadOnlyList<long[]> shapes = TrunkSpec.Shapes();
        int stageCount = TrunkSpec.Stages.Count;
        if (splitStage < 0 || splitStage > stageCount)
        {
            throw new ArgumentException(
                $"Split stage {splitStage} is outside 0..{stageCount} for trunk '{TrunkSpec.Name}'.", nameof(config));
        }

        tasks = ValidateTasks(config.ResolveTasks());
        SplitStage = splitStage;
        trunk = new Trunk(TrunkSpec, 0, splitStage);
        ColumnNames = splitStage == stageCount ? Array.Empty<string>() : BuildColumns(config, splitStage);
        taskColumn = tasks.Select(t => ColumnOf(config, t.Name)).ToArray();
        if (crossStitch)
        {
            stitches = BuildStitches(config, shapes);
        }

        long features = shapes[^1].Aggregate(1L, (a, b) => a * b);
        foreach (TaskSpec task in tasks)
        {
            var head = nn.Linear(features, task.Outputs);
            if (task.Kind == TaskKind.Landmarks)
            {
                // Points live in the crop's 0..1 frame: starting every prediction at the centre keeps the first
                // steps' landmark loss small and its gradient from swamping the attribute heads.
                using var noGrad = no_grad();
                head.bias!.fill_(0.5);
            }

            heads.Add(task.Name, head);
        }

        if (config.MutualRegularization > 0 && ColumnNames.Count >= 2)
        {
            mutual = new MutualWeightRegularization(
                config.MutualRegularization, ColumnNames.Count, stageCount - splitStage, config.MutualAffine);
        }

        RegisterComponents();
    }

    /// <summary>Gets the configuration the network was built from.</summary>
    public NetworkConfig Config { get; }

    /// <summary>Gets the trunk the stages come from.</summary>
    public TrunkSpec TrunkSpec { get; }

    /// <summary>Gets the first stage copied per group; the number of stages when all are shared.</summary>
    public int SplitStage { get; }

    /// <summary>Gets the columns' names (a group's task names joined by '_'); empty for hard sharing.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <inheritdoc />
    public override IReadOnlyList<TaskSpec> Tasks => tasks;

    /// <inheritdoc />
    public override long[] InputShape => TrunkSpec.InputShape;

    /// <summary>Gets the cross-stitch units, by the index of the stage they follow.</summary>
    protected IReadOnlyDictionary<int, CrossStitchUnit> Stitches => stitchAfter;

    /// <inheritdoc />
    public override IEnumerable<Parameter> BoostedParameters() => stitchAfter.Values.Select(u => u.Weight);

    /// <summary>
    /// Gets the weights of the last layer all tasks share, for GradNorm: the last shared stage's weight, or the last
    /// cross-stitch unit's weights when no stage is shared; empty for independent columns.
    /// </summary>
    /// <returns>The parameters.</returns>
    public IReadOnlyList<Parameter> LastSharedParameters()
    {
        if (SplitStage > 0)
        {
            return new[] { trunk.Stages[^1].Weight };
        }

        return stitchAfter.Count > 0 ? new[] { stitchAfter[stitchAfter.Keys.Max()].Weight } : Array.Empty<Parameter>();
    }

    /// <inheritdoc />
    public override Tensor? RegularizationLoss()
    {
        if (mutual is null)
        {
            return null;
        }

        var weights = columns.Values
            .Select(c => (IReadOnlyList<Tensor>)c.Stages.Select(s => (Tensor)s.Weight).ToArray())
            .ToArray();
        return mutual.Compute(weights);
    }

    /// <inheritdoc />
    public override Dictionary<string, Tensor> forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor[] features = ColumnFeatures(input).Select(f => f.flatten(1)).ToArray();
        var outputs = new Dictionary<string, Tensor>(tasks.Length, StringComparer.Ordinal);
        for (int i = 0; i < tasks.Length; i++)
        {
            Tensor feature = features[Math.Max(taskColumn[i], 0)];
            outputs[tasks[i].Name] = heads.Get(tasks[i].Name).forward(feature).MoveToOuterDisposeScope();
        }

        return outputs;
    }

    /// <inheritdoc />
    /// <remarks>The heads that read one column run as one matrix product with their weights stacked, which saves
    /// an op per head: at one face the ops' fixed costs, not their arithmetic, set the latency.</remarks>
    public override Tensor ForwardJoined(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor[] features = ColumnFeatures(input).Select(f => f.flatten(1)).ToArray();
        var blocks = new List<Tensor>(tasks.Length);
        int first = 0;
        while (first < tasks.Length)
        {
            // A run of consecutive tasks on the same column shares one product; the runs follow the task order.
            int column = Math.Max(taskColumn[first], 0);
            int end = first + 1;
            while (end < tasks.Length && Math.Max(taskColumn[end], 0) == column)
            {
                end++;
            }

            blocks.Add(end - first == 1 ? heads.Get(tasks[first].Name).forward(features[column])
                : JoinedHeads(features[column], first, end));
            first = end;
        }

        Tensor joined = blocks.Count == 1 ? blocks[0] : cat(blocks, 1);
        return joined.MoveToOuterDisposeScope();
    }

    private Tensor JoinedHeads(Tensor feature, int first, int end)
    {
        Linear[] run = Enumerable.Range(first, end - first).Select(i => heads.Get(tasks[i].Name)).ToArray();
        Tensor weight = cat(run.Select(h => (Tensor)h.weight!).ToArray(), 0);
        Tensor bias = cat(run.Select(h => (Tensor)h.bias!).ToArray(), 0);
        return addmm(bias, feature, weight.t(), 1, 1);
    }

    /// <summary>
    /// Computes the trunk's output of every column (one entry, the shared trunk's output, for hard sharing), after
    /// the last cross-stitch unit.
    /// </summary>
    /// <param name="input">Images [N, C, H, W] of <see cref="InputShape"/>.</param>
    /// <returns>One tensor per column, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The input's shape is not [N, C, H, W] of <see cref="InputShape"/>.
    /// </exception>
    public IReadOnlyList<Tensor> ColumnFeatures(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long[] expected = InputShape;
        if (input.dim() != 4 || input.shape[1] != expected[0] || input.shape[2] != expected[1]
            || input.shape[3] != expected[2])
        {
            throw new ArgumentException(
                $"Expected images [N, {string.Join(", ", expected)}], got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }

        using var scope = NewDisposeScope();
        Tensor shared = trunk.forward(input);
        if (columns.Count == 0)
        {
            return new[] { shared.MoveToOuterDisposeScope() };
        }

        var current = Enumerable.Repeat(shared, columns.Count).ToList();
        IReadOnlyList<Trunk> columnList = columns.Values;
        for (int stage = SplitStage; stage < TrunkSpec.Stages.Count; stage++)
        {
            bool stitched = stitchAfter.TryGetValue(stage, out CrossStitchUnit? unit);
            if (stitched && is_grad_enabled() && columnList[0].Stages[stage - SplitStage].ActivatesInKernel)
            {
                current = StitchActivatedStage(stage, unit!, current);
                continue;
            }

            for (int c = 0; c < current.Count; c++)
            {
                current[c] = columnList[c].Stages[stage - SplitStage].forward(current[c]);
            }

            if (stitched)
            {
                current = unit!.Mix(current).ToList();
            }
        }

        return current.Select(t => t.MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>A stitched stage in training: every column's layer, then the unit fused with the stage's
    /// activation and pooling, or, where the fused kernels do not take the maps, both in turn.</summary>
    private List<Tensor> StitchActivatedStage(int stage, CrossStitchUnit unit, List<Tensor> current)
    {
        IReadOnlyList<Trunk> columnList = columns.Values;
        TrunkStage[] stages = columnList.Select(c => c.Stages[stage - SplitStage]).ToArray();
        Tensor[] layers = current.Select((x, c) => stages[c].Layer(x)).ToArray();
        StageSpec spec = TrunkSpec.Stages[stage];
        IReadOnlyList<Tensor>? mixed = unit.TryMixActivated(layers, spec.Activation, spec.Pool);
        return (mixed ?? unit.Mix(layers.Select((x, c) => stages[c].Activate(x)).ToArray())).ToList();
    }

    private static TaskSpec[] ValidateTasks(IReadOnlyList<TaskSpec> tasks)
    {
        if (tasks is null || tasks.Count == 0)
        {
            throw new ArgumentException("The network needs at least one task.", nameof(tasks));
        }

        if (tasks.Any(t => t.Size < 1 || string.IsNullOrEmpty(t.Name) || t.Name.Contains('.', StringComparison.Ordinal))
            || tasks.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != tasks.Count)
        {
            throw new ArgumentException(
                "Task names must be unique, non-empty and free of dots, and sizes at least 1: " +
                string.Join(", ", tasks.Select(t => $"{t.Name} ({t.Size})")), nameof(tasks));
        }

        return tasks.ToArray();
    }

    private int ColumnOf(NetworkConfig config, string task)
    {
        if (ColumnNames.Count == 0)
        {
            return -1;
        }

        IReadOnlyList<IReadOnlyList<string>> groups = config.ResolveGroups();
        for (int g = 0; g < groups.Count; g++)
        {
            if (groups[g].Contains(task, StringComparer.Ordinal))
            {
                return g;
            }
        }

        throw new ArgumentException($"Task '{task}' is in no task group.", nameof(config));
    }

    private string[] BuildColumns(NetworkConfig config, int splitStage)
    {
        IReadOnlyList<IReadOnlyList<string>> groups = config.ResolveGroups();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string task in groups.SelectMany(g => g))
        {
            if (!tasks.Any(t => t.Name == task) || !seen.Add(task))
            {
                throw new ArgumentException(
                    $"Task group member '{task}' is not a task of the network or appears twice.", nameof(config));
            }
        }

        if (groups.Any(g => g.Count == 0))
        {
            throw new ArgumentException("A task group is empty.", nameof(config));
        }

        var names = groups.Select(g => string.Join("_", g)).ToArray();
        foreach (string name in names)
        {
            columns.Add(name, new Trunk(TrunkSpec, splitStage));
        }

        return names;
    }

    private ModuleGroup<CrossStitchUnit> BuildStitches(NetworkConfig config, IReadOnlyList<long[]> shapes)
    {
        if (ColumnNames.Count < 2)
        {
            throw new ArgumentException("A cross-stitch network needs at least two task groups.", nameof(config));
        }

        var units = new ModuleGroup<CrossStitchUnit>(nameof(stitches));
        IEnumerable<string> names = config.CrossStitchStages ?? TrunkSpec.Stages.Select(s => s.Name);
        foreach (int stage in names.Select(TrunkSpec.IndexOf).Distinct().Order())
        {
            if (stage < SplitStage)
            {
                throw new ArgumentException(
                    $"Stage '{TrunkSpec.Stages[stage].Name}' is shared; a cross-stitch unit needs columns.",
                    nameof(config));
            }

            string name = TrunkSpec.Stages[stage].Name;
            var unit = new CrossStitchUnit(
                name, ColumnNames.Count, shapes[stage + 1][0], config.CrossStitchMode, config.CrossStitchOwnWeight);
            units.Add(name, unit);
            stitchAfter[stage] = unit;
        }

        return units;
    }
}
