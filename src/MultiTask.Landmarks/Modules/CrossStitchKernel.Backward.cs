using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Modules;

/// <summary>The backward pass of <see cref="CrossStitchKernel"/>: the inputs' gradients (or, behind pooling, the
/// full-resolution maps' gradients) block by block, and the weights' gradient.</summary>
internal static unsafe partial class CrossStitchKernel
{
    /// <summary>What lies behind a unit whose inputs are pooled activations (the mixing fused with the activation
    /// and pooling of the stage before it): the pooling's codes per column, the map's shape and the activation.
    /// </summary>
    /// <param name="Codes">T pointers to the pooling's codes, one int per pooled value.</param>
    /// <param name="Shape">The full-resolution map and its pooling.</param>
    /// <param name="Derivative">The activation.</param>
    internal sealed record PooledInputs(
        nint[] Codes, ActivationPoolKernel.PoolShape Shape, ActivationPoolKernel.Derivative Derivative);

    // The backward pass works in blocks of rows sized so that a block of every column's output gradients, inputs and
    // input gradients stays in the level-2 cache (2 MB a core here) while the block is mixed and spread.
    private const int BlockBytes = 128 * 1024;

    // The weights' gradient is summed over spans whose gradients and inputs (2 x T x rows x C floats) fit well inside
    // the 2 MB level-2 cache of a core.
    private const int SumSpanBytes = 512 * 1024;

    /// <summary>The backward pass: the inputs' gradients (the transposed mixing of the outputs' gradients) and the
    /// weights' gradient (sum over rows of g[t] * x[f] per channel), each block of rows mixed back while it is in cache
    /// and the weights' gradient summed over spans of blocks still in the level-2 cache.</summary>
    /// <param name="gradients">T pointers to the outputs' gradients, [rows, channels].</param>
    /// <param name="inputs">T pointers to the inputs, [rows, channels].</param>
    /// <param name="inputGradients">T pointers to the inputs' gradients, [rows, channels], written.</param>
    /// <param name="weights">The weights, [T, T, channels] or [T, T].</param>
    /// <param name="weightGradient">The weights' gradient, written in the weights' shape.</param>
    /// <param name="shape">The columns, rows and channels, and whether the weights have a channel axis.</param>
    /// <param name="threads">The most threads to use.</param>
    /// <param name="pooling">When the inputs are pooled activations (see <see cref="PooledInputs"/>): where the
    /// gradients continue to. <paramref name="inputGradients"/> then points to the full-resolution maps' gradients,
    /// and the inputs' own gradients live only in cache, one block at a time.</param>
    public static void Backward(
        nint[] gradients, nint[] inputs, nint[] inputGradients, nint weights, nint weightGradient, in MixShape shape,
        int threads, PooledInputs? pooling = null)
    {
        MixShape s = shape;
        int parts = Parts(s, threads);
        var totals = new double[parts][];
        if (parts == 1)
        {
            totals[0] = BackwardRows(gradients, inputs, inputGradients, weights, s, 0, s.Rows, pooling);
        }
        else
        {
            OpenMpTeam.For(parts, part =>
                totals[part] = BackwardRows(gradients, inputs, inputGradients, weights, s,
                    s.Rows * part / parts, s.Rows * (part + 1) / parts, pooling));
        }

        float* result = (float*)weightGradient;
        int channels = s.Channels, pairs = s.Columns * s.Columns;
        for (int pair = 0; pair < pairs; pair++)
        {
            double stage = 0;
            for (int k = 0; k < channels; k++)
            {
                double sum = 0;
                for (int part = 0; part < parts; part++)
                {
                    sum += totals[part][(pair * channels) + k];
                }

                if (s.PerChannel)
                {
                    result[(pair * channels) + k] = (float)sum;
                }

                stage += sum;
            }

            if (!s.PerChannel)
            {
                result[pair] = (float)stage;
            }
        }
    }

    /// <summary>Over rows [first, end), block by block: writes the inputs' gradients (or, behind pooling, the
    /// full-resolution maps' gradients) and returns the sums of g[t] * x[f] per (pair, channel).</summary>
    private static double[] BackwardRows(
        nint[] gradients, nint[] inputs, nint[] inputGradients, nint weights, MixShape shape, long first, long end,
        PooledInputs? pooling)
    {
        int columns = shape.Columns, channels = shape.Channels;
        float* partial = stackalloc float[2 * channels];
        long block = Math.Max(4, BlockBytes / (3L * columns * channels * sizeof(float)));

        // Behind pooling, a block's input gradients go to a scratch buffer that stays in cache: the pointers handed
        // to the mixing are shifted so that row `start` lands at the buffer's beginning.
        float* scratch = pooling is null ? null
            : (float*)NativeMemory.Alloc((nuint)(columns * block * channels), sizeof(float));
        nint[] targets = pooling is null ? inputGradients : new nint[columns];
        try
        {
            return SumBlocks(gradients, inputs, inputGradients, weights, shape, first, end, pooling, block, scratch,
                targets, partial);
        }
        finally
        {
            NativeMemory.Free(scratch);
        }
    }

    /// <summary>The blocks of <see cref="BackwardRows"/>. The weights' gradient is summed over spans of several
    /// blocks (<see cref="SumSpanBytes"/>), whose gradients and inputs are still in the level-2 cache: over one
    /// block, the loops that sum it were too short to repay their set-up.</summary>
    private static double[] SumBlocks(
        nint[] gradients, nint[] inputs, nint[] inputGradients, nint weights, MixShape shape, long first, long end,
        PooledInputs? pooling, long block, float* scratch, nint[] targets, float* partial)
    {
        int columns = shape.Columns, channels = shape.Channels;
        long span = Math.Max(block, SumSpanBytes / (2L * columns * channels * sizeof(float)));
        var totals = new double[columns * columns * channels];
        long summed = first;
        for (long start = first; start < end; start += block)
        {
            long stop = Math.Min(end, start + block);
            if (pooling is not null)
            {
                for (int f = 0; f < columns; f++)
                {
                    targets[f] = (nint)(scratch + (f * block * channels) - (start * channels));
                }
            }

            MixRows(gradients, targets, weights, shape, transpose: true, start, stop);
            if (pooling is not null)
            {
                for (int f = 0; f < columns; f++)
                {
                    ActivationPoolKernel.BackwardRows(
                        (float*)targets[f], (float*)inputs[f], (int*)pooling.Codes[f], (float*)inputGradients[f],
                        pooling.Shape, pooling.Derivative, start, stop);
                }
            }

            if (stop - summed >= span || stop == end)
            {
                SumProducts(gradients, inputs, shape, summed, stop, totals, partial);
                summed = stop;
            }
        }

        return totals;
    }

    /// <summary>Adds the sums over rows [first, end) of g[t] * x[f], per (t, f) pair and channel, to
    /// <paramref name="totals"/>. Two inputs share each load of a gradient, and two rows of each go side by side:
    /// four independent sums, so the additions do not wait on one another.</summary>
    private static void SumProducts(
        nint[] gradients, nint[] inputs, in MixShape shape, long first, long end, double[] totals, float* partial)
    {
        int columns = shape.Columns, channels = shape.Channels;
        float* second = partial + channels;
        for (int t = 0; t < columns; t++)
        {
            float* g = (float*)gradients[t];
            int f = 0;
            for (; f + 2 <= columns; f += 2)
            {
                SumTwoInputs(g, (float*)inputs[f], (float*)inputs[f + 1], channels, first, end, partial, second);
                AddTo(totals, ((t * columns) + f) * channels, partial, channels);
                AddTo(totals, ((t * columns) + f + 1) * channels, second, channels);
            }

            if (f < columns)
            {
                SumOneInput(g, (float*)inputs[f], channels, first, end, partial);
                AddTo(totals, ((t * columns) + f) * channels, partial, channels);
            }
        }
    }

    /// <summary>Per channel, the sums over rows [first, end) of g * a (into <paramref name="sumA"/>) and g * b (into
    /// <paramref name="sumB"/>).</summary>
    private static void SumTwoInputs(
        float* g, float* a, float* b, int channels, long first, long end, float* sumA, float* sumB)
    {
        int width = Vector<float>.Count;
        int vectorEnd = channels - (channels % width);
        int c = Vector512.IsHardwareAccelerated ? SumTwoInputsWide(g, a, b, channels, first, end, sumA, sumB) : 0;
        for (; c < vectorEnd; c += width)
        {
            Vector<float> a0 = Vector<float>.Zero, a1 = a0, b0 = a0, b1 = a0;
            long at = (first * channels) + c, stop = end * channels;
            for (; at + channels < stop; at += 2 * channels)
            {
                Vector<float> g0 = Load(g + at), g1 = Load(g + at + channels);
                a0 += g0 * Load(a + at);
                b0 += g0 * Load(b + at);
                a1 += g1 * Load(a + at + channels);
                b1 += g1 * Load(b + at + channels);
            }

            if (at < stop)
            {
                Vector<float> g0 = Load(g + at);
                a0 += g0 * Load(a + at);
                b0 += g0 * Load(b + at);
            }

            Store(a0 + a1, sumA + c);
            Store(b0 + b1, sumB + c);
        }

        for (; c < channels; c++)
        {
            float sa = 0, sb = 0;
            for (long r = first; r < end; r++)
            {
                long at = (r * channels) + c;
                sa += g[at] * a[at];
                sb += g[at] * b[at];
            }

            sumA[c] = sa;
            sumB[c] = sb;
        }
    }

    /// <summary><see cref="SumTwoInputs"/> over the channels that fill 512-bit vectors (each lane adds the same
    /// products in the same order). Returns the first channel left to the narrower loops.</summary>
    private static int SumTwoInputsWide(
        float* g, float* a, float* b, int channels, long first, long end, float* sumA, float* sumB)
    {
        int width = Vector512<float>.Count;
        int vectorEnd = channels - (channels % width);
        int c = 0;
        for (; c < vectorEnd; c += width)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, b0 = a0, b1 = a0;
            long at = (first * channels) + c, stop = end * channels;
            for (; at + channels < stop; at += 2 * channels)
            {
                Vector512<float> g0 = Vector512.Load(g + at), g1 = Vector512.Load(g + at + channels);
                a0 += g0 * Vector512.Load(a + at);
                b0 += g0 * Vector512.Load(b + at);
                a1 += g1 * Vector512.Load(a + at + channels);
                b1 += g1 * Vector512.Load(b + at + channels);
            }

            if (at < stop)
            {
                Vector512<float> g0 = Vector512.Load(g + at);
                a0 += g0 * Vector512.Load(a + at);
                b0 += g0 * Vector512.Load(b + at);
            }

            (a0 + a1).Store(sumA + c);
            (b0 + b1).Store(sumB + c);
        }

        return c;
    }

    /// <summary>Per channel, the sums over rows [first, end) of g * x, four rows side by side.</summary>
    private static void SumOneInput(float* g, float* x, int channels, long first, long end, float* sum)
    {
        int width = Vector<float>.Count;
        int vectorEnd = channels - (channels % width);
        int c = 0;
        for (; c < vectorEnd; c += width)
        {
            Vector<float> s0 = Vector<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
            long at = (first * channels) + c, stop = end * channels;
            for (; at + (3 * channels) < stop; at += 4 * channels)
            {
                s0 += Load(g + at) * Load(x + at);
                s1 += Load(g + at + channels) * Load(x + at + channels);
                s2 += Load(g + at + (2 * channels)) * Load(x + at + (2 * channels));
                s3 += Load(g + at + (3 * channels)) * Load(x + at + (3 * channels));
            }

            for (; at < stop; at += channels)
            {
                s0 += Load(g + at) * Load(x + at);
            }

            Store((s0 + s1) + (s2 + s3), sum + c);
        }

        for (; c < channels; c++)
        {
            float total = 0;
            for (long r = first; r < end; r++)
            {
                long at = (r * channels) + c;
                total += g[at] * x[at];
            }

            sum[c] = total;
        }
    }

    private static void AddTo(double[] totals, int offset, float* partial, int channels)
    {
        for (int k = 0; k < channels; k++)
        {
            totals[offset + k] += partial[k];
        }
    }
}
