using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A run of consecutive stages of a <see cref="TrunkSpec"/> (all of them, or the part before or after a split).
/// Each stage is registered under its name, so keys read <c>conv1.conv.weight</c>, <c>fc.fc.bias</c>.
/// </summary>
public sealed class Trunk : nn.Module<Tensor, Tensor>
{
    private readonly List<TrunkStage> stages = new();

    /// <summary>Initializes a new instance of the <see cref="Trunk"/> class.</summary>
    /// <param name="spec">The trunk.</param>
    /// <param name="from">The first stage, zero-based.</param>
    /// <param name="to">One past the last stage.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within the trunk's stages.</exception>
    /// <exception cref="ArgumentException">The trunk is not well formed.</exception>
    public Trunk(TrunkSpec spec, int from = 0, int? to = null)
        : base((spec ?? throw new ArgumentNullException(nameof(spec))).Name)
    {
        IReadOnlyList<long[]> shapes = spec.Shapes();
        int end = to ?? spec.Stages.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, spec.Stages.Count, nameof(to));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, end);
        Spec = spec;
        From = from;
        for (int i = from; i < end; i++)
        {
            var stage = new TrunkStage(spec.Stages[i], shapes[i]);
            stages.Add(stage);
            register_module(stage.Spec.Name, stage);
        }

        OutputShape = shapes[end];
    }

    /// <summary>Gets the trunk specification this run of stages comes from.</summary>
    public TrunkSpec Spec { get; }

    /// <summary>Gets the index of the first stage in <see cref="Spec"/>.</summary>
    public int From { get; }

    /// <summary>Gets the stages, in order.</summary>
    public IReadOnlyList<TrunkStage> Stages => stages;

    /// <summary>Gets the output shape of the last stage (the input shape when there are no stages).</summary>
    public long[] OutputShape { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (stages.Count == 0)
        {
            // An empty run (a split at stage 0) passes its input on; an alias keeps the caller's tensor its own.
            return input.alias();
        }

        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (TrunkStage stage in stages)
        {
            x = stage.forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }
}
