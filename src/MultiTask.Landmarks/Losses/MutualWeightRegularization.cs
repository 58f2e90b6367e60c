using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// The mutual weight regularization between task columns: lambda times the squared distance between corresponding
/// weights of every pair of columns, divided by the number of weights compared and averaged over the pairs, so that
/// one lambda means the same for TCDCN and for a trunk ten times its size, and for two columns or five.
/// </summary>
/// <remarks>
/// <para>
/// With <c>affine</c> on, column A's weights pass through a learnable map a*W_A + b (one a and one b per layer and
/// pair) before they are compared with W_B, as in the study that introduced the penalty. Left free, that map
/// escapes the penalty: a -> 0 and b -> mean(W_B) leave only W_B's own spread, the gradient no longer ties the
/// columns together, and lambda silently stops mattering. The scale is therefore a = 2^tanh(s), which stays within
/// [1/2, 2] and is 1 at s = 0; the state_dict holds s (<c>scale_raw</c>) and b (<c>shift</c>), each [pairs, layers].
/// </para>
/// <para>
/// The 2016 study whose cross-stitch runs diverged summed the squared distances unnormalised; with 1000-weighted
/// MSE and Adam at 1e-2 the penalty's gradient dwarfed the data term. The mean here keeps it on the scale of one
/// weight's squared change.
/// </para>
/// </remarks>
public sealed class MutualWeightRegularization : nn.Module
{
    [ComponentName(Name = "scale_raw")]
    private readonly Parameter? scaleRaw;

    [ComponentName(Name = "shift")]
    private readonly Parameter? shift;

    /// <summary>Initializes a new instance of the <see cref="MutualWeightRegularization"/> class.</summary>
    /// <param name="lambda">The penalty's weight, at least 0.</param>
    /// <param name="columns">The number of columns, at least 2.</param>
    /// <param name="layers">The number of corresponding weights in each column, at least 1.</param>
    /// <param name="affine">Whether to compare through a learnable, bounded affine map.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public MutualWeightRegularization(double lambda, int columns, int layers, bool affine)
        : base("mutual")
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda must be finite and at least 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        Lambda = lambda;
        Columns = columns;
        Layers = layers;
        Pairs = columns * (columns - 1) / 2;
        if (affine)
        {
            scaleRaw = new Parameter(zeros(Pairs, layers));
            shift = new Parameter(zeros(Pairs, layers));
        }

        RegisterComponents();
    }

    /// <summary>Gets lambda.</summary>
    public double Lambda { get; }

    /// <summary>Gets the number of columns.</summary>
    public int Columns { get; }

    /// <summary>Gets the number of corresponding weights per column.</summary>
    public int Layers { get; }

    /// <summary>Gets the number of column pairs, T(T-1)/2.</summary>
    public int Pairs { get; }

    /// <summary>Gets a value indicating whether the comparison goes through a learnable affine map.</summary>
    public bool Affine => scaleRaw is not null;

    /// <summary>Computes the penalty.</summary>
    /// <param name="columnWeights">For each column, its weights in the same order and of the same shapes.</param>
    /// <returns>A scalar tensor, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The columns or their weights do not match the unit's sizes.</exception>
    public Tensor Compute(IReadOnlyList<IReadOnlyList<Tensor>> columnWeights)
    {
        ArgumentNullException.ThrowIfNull(columnWeights);
        if (columnWeights.Count != Columns || columnWeights.Any(c => c.Count != Layers))
        {
            throw new ArgumentException(
                $"Expected {Columns} columns of {Layers} weights, got {columnWeights.Count} columns of " +
                $"[{string.Join(", ", columnWeights.Select(c => c.Count))}].", nameof(columnWeights));
        }

        using var scope = NewDisposeScope();
        long count = columnWeights[0].Sum(w => w.numel());
        Tensor? total = null;
        int pair = 0;
        for (int a = 0; a < Columns; a++)
        {
            for (int b = a + 1; b < Columns; b++, pair++)
            {
                for (int layer = 0; layer < Layers; layer++)
                {
                    Tensor mapped = columnWeights[a][layer];
                    if (scaleRaw is not null)
                    {
                        Tensor scale = (scaleRaw[pair, layer].tanh() * Math.Log(2)).exp();
                        mapped = (scale * mapped) + shift![pair, layer];
                    }

                    Tensor distance = (mapped - columnWeights[b][layer]).square().sum();
                    total = total is null ? distance : total + distance;
                }
            }
        }

        Tensor result = total! * (Lambda / (count * (double)Pairs));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Gets the current affine scale a of each pair and layer (all 1 without the affine map).</summary>
    /// <returns>The scales, [pair][layer].</returns>
    public double[][] Scales()
    {
        var result = new double[Pairs][];
        if (scaleRaw is null)
        {
            for (int p = 0; p < Pairs; p++)
            {
                result[p] = Enumerable.Repeat(1.0, Layers).ToArray();
            }

            return result;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor scales = (scaleRaw.tanh() * Math.Log(2)).exp();
        double[] values = scales.to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (int p = 0; p < Pairs; p++)
        {
            result[p] = values.AsSpan(p * Layers, Layers).ToArray();
        }

        return result;
    }
}
