using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A cross-stitch unit (Misra et al., CVPR 2016): column <c>t</c>'s output is the sum over columns <c>f</c> of
/// <c>weight[t, f] * input[f]</c>, per channel or for the whole stage. Its one parameter, <c>weight</c>, is
/// [T, T, C] per channel or [T, T] per stage, and should be trained with a boosted learning rate (see
/// <see cref="NetworkConfig.CrossStitchLearningRateMultiplier"/>).
/// </summary>
public sealed class CrossStitchUnit : nn.Module
{
    private readonly Parameter weight;

    /// <summary>Initializes a new instance of the <see cref="CrossStitchUnit"/> class.</summary>
    /// <param name="name">The unit's name (the stage it follows).</param>
    /// <param name="columns">The number of columns T, at least 2.</param>
    /// <param name="channels">The channels (or features) of the stage it follows.</param>
    /// <param name="mode">Per channel or per stage.</param>
    /// <param name="ownWeight">The initial weight of a column's own activations; the rest, 1 - ownWeight, is
    /// spread evenly over the other columns so that every row sums to 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 columns, no channels, or an own weight outside
    /// [0, 1].</exception>
    public CrossStitchUnit(string name, int columns, long channels, CrossStitchMode mode, double ownWeight)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (!(ownWeight >= 0 && ownWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ownWeight), ownWeight, "The own weight must lie in [0, 1].");
        }

        Columns = columns;
        Mode = mode;
        double other = (1 - ownWeight) / (columns - 1);
        using (no_grad())
        {
            using Tensor eye_ = eye(columns);
            using Tensor matrix = (eye_ * (ownWeight - other)) + other;
            Tensor init = mode == CrossStitchMode.PerChannel
                ? matrix.unsqueeze(-1).expand(columns, columns, channels).contiguous()
                : matrix.clone();
            weight = new Parameter(init);
        }

        RegisterComponents();
    }

    /// <summary>Gets the number of columns.</summary>
    public int Columns { get; }

    /// <summary>Gets the mixing mode.</summary>
    public CrossStitchMode Mode { get; }

    /// <summary>Gets the mixing weights, [T, T, C] or [T, T], indexed [to, from, channel].</summary>
    public Parameter Weight => weight;

    /// <summary>Mixes the columns' activations.</summary>
    /// <param name="inputs">One tensor per column, all of the same shape [N, C, ...].</param>
    /// <returns>One mixed tensor per column, owned by the caller, in the inputs' memory layout.</returns>
    /// <exception cref="ArgumentException">The number of inputs is not <see cref="Columns"/>, their shapes differ, or
    /// (per channel) their channels are not the unit's.</exception>
    public IReadOnlyList<Tensor> Mix(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Columns)
        {
            throw new ArgumentException($"Expected {Columns} column inputs, got {inputs.Count}.", nameof(inputs));
        }

        // Broadcasting would quietly mix a [N, C, 1, 1] column into a [N, C, H, W] one; stacking used to refuse it.
        for (int c = 1; c < inputs.Count; c++)
        {
            if (!inputs[c].shape.SequenceEqual(inputs[0].shape))
            {
                throw new ArgumentException(
                    $"Column {c}'s activations are [{string.Join(", ", inputs[c].shape)}], column 0's " +
                    $"[{string.Join(", ", inputs[0].shape)}]; the columns must have one shape.", nameof(inputs));
            }
        }

        using var scope = NewDisposeScope();

        // Per channel, the weights' shape for broadcasting; computing it also checks the columns' channels.
        long[]? broadcast = Mode == CrossStitchMode.PerChannel ? BroadcastShape(inputs[0]) : null;

        // Float32 activations on the CPU in rows of channels (the trunks' channels-last maps, dense features) go
        // through the fused kernel: one pass over the columns forward and one backward.
        if (weight.device_type == DeviceType.CPU && weight.dtype == ScalarType.Float32
            && inputs.All(x => CrossStitchFunction.TryGetRows(x, out _, out _)))
        {
            return CrossStitchFunction.Run(inputs, weight, Mode == CrossStitchMode.PerChannel)
                .Select(t => t.MoveToOuterDisposeScope()).ToArray();
        }

        // Elsewhere (CUDA, NCHW memory, other types) each output is a weighted sum of the inputs, one broadcast
        // multiply-add per pair of columns, with the weights viewed as [C, 1, 1] (per channel) or as scalars (per
        // stage). Elementwise kernels keep their input's memory layout, so nothing is copied. Adding the terms in
        // column order makes identity weights reproduce each column exactly and equal weights give equal columns.
        Tensor shaped = broadcast is not null ? weight.reshape(broadcast) : weight.alias();
        Tensor[] rows = shaped.unbind(0);
        var outputs = new Tensor[Columns];
        for (int to = 0; to < Columns; to++)
        {
            Tensor[] from = rows[to].unbind(0);
            Tensor mixed = inputs[0] * from[0];
            for (int f = 1; f < Columns; f++)
            {
                mixed = mixed.addcmul(inputs[f], from[f], 1);
            }

            outputs[to] = mixed.MoveToOuterDisposeScope();
        }

        return outputs;
    }

    /// <summary>
    /// In training, mixes the columns straight from the pre-activation maps of the stage before the unit, with the
    /// stage's activation and pooling fused into the unit (<see cref="ActivatedCrossStitchFunction"/>); the result
    /// equals the stage's own activation and pooling of each column followed by <see cref="Mix"/>.
    /// </summary>
    /// <param name="preActivations">One pre-activation map per column, [N, C, H, W] or [N, F].</param>
    /// <param name="activation">The stage's activation.</param>
    /// <param name="pool">The stage's pooling window.</param>
    /// <returns>One mixed tensor per column, owned by the caller; null where the fused kernels do not take the maps
    /// (another device or type, NCHW memory, differing shapes), and the caller activates, pools and mixes instead.
    /// </returns>
    internal IReadOnlyList<Tensor>? TryMixActivated(
        IReadOnlyList<Tensor> preActivations, ActivationKind activation, int pool)
    {
        if (preActivations.Count != Columns || weight.device_type != DeviceType.CPU
            || weight.dtype != ScalarType.Float32 || !is_grad_enabled()
            || !preActivations.All(x => ActivationPoolFunction.Accepts(x, pool))
            || preActivations.Any(x => !x.shape.SequenceEqual(preActivations[0].shape))
            || (Mode == CrossStitchMode.PerChannel && preActivations[0].shape[1] != weight.shape[2]))
        {
            return null;
        }

        bool perChannel = Mode == CrossStitchMode.PerChannel;
        return ActivatedCrossStitchFunction.Run(preActivations, weight, perChannel, activation, pool);
    }

    /// <summary>The weight's shape for broadcasting against one column's [N, C, ...] activations: [T, T, C, 1, ...].
    /// </summary>
    private long[] BroadcastShape(Tensor input)
    {
        if (input.dim() < 2 || input.shape[1] != weight.shape[2])
        {
            throw new ArgumentException(
                $"Expected column activations [N, {weight.shape[2]}, ...], got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }

        var shape = new long[input.dim() + 1];
        Array.Fill(shape, 1L);
        shape[0] = Columns;
        shape[1] = Columns;
        shape[2] = weight.shape[2];
        return shape;
    }

    /// <summary>Reads the weights as a [from][to] matrix, averaged over channels.</summary>
    /// <returns>The matrix.</returns>
    public double[][] FromToMatrix()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor matrix = Mode == CrossStitchMode.PerChannel ? weight.mean(new long[] { 2 }) : weight.alias();
        double[] values = matrix.t().contiguous().to(ScalarType.Float64).cpu().data<double>().ToArray();
        var result = new double[Columns][];
        for (int from = 0; from < Columns; from++)
        {
            result[from] = values.AsSpan(from * Columns, Columns).ToArray();
        }

        return result;
    }
}
