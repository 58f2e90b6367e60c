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
    /// <returns>One mixed tensor per column, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The number of inputs is not <see cref="Columns"/>.</exception>
    public IReadOnlyList<Tensor> Mix(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Columns)
        {
            throw new ArgumentException($"Expected {Columns} column inputs, got {inputs.Count}.", nameof(inputs));
        }

        using var scope = NewDisposeScope();
        Tensor stacked = stack(inputs);
        long[] shape = stacked.shape;
        Tensor mixed;
        if (Mode == CrossStitchMode.PerStage)
        {
            mixed = weight.matmul(stacked.reshape(Columns, -1)).reshape(shape);
        }
        else
        {
            // [T, N, C, S]: a batched product over channels, so each channel has its own T x T matrix. einsum
            // hands back a channel-major view; the next stage's kernels then pick other code paths than for a
            // plain column, so the layout is restored here (identity mixing must equal independent columns).
            Tensor flat = stacked.reshape(Columns, shape[1], shape[2], -1);
            mixed = einsum("tfc,fncs->tncs", weight, flat).contiguous().reshape(shape);
        }

        Tensor[] outputs = mixed.unbind(0);
        foreach (Tensor output in outputs)
        {
            output.MoveToOuterDisposeScope();
        }

        return outputs;
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
