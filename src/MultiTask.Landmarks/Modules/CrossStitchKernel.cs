using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// The cross-stitch mixing as one pass over the columns' memory, for float32 activations laid out as rows of
/// channels ([N, H, W, C] channels-last, or [N, F] features). Built from libtorch ops, every (to, from) pair of columns
/// is a separate elementwise pass forward and several backward, so a unit costs T^2 passes; here each block of rows
/// is read once, mixed in cache and written once. The weights are [T, T, C] (per channel) or [T, T] (per stage),
/// indexed [to, from, channel].
/// </summary>
internal static unsafe class CrossStitchKernel
{
    /// <summary>What the kernel mixes: T columns of rows x channels floats, with weights per channel or per stage.
    /// </summary>
    /// <param name="Columns">T.</param>
    /// <param name="Rows">Rows of each column.</param>
    /// <param name="Channels">Values in a row.</param>
    /// <param name="PerChannel">Whether the weights have a channel axis ([T, T, C]) or not ([T, T]).</param>
    internal readonly record struct MixShape(int Columns, long Rows, int Channels, bool PerChannel);

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

    /// <summary>Computes y[t] = sum over f of w[t, f] * x[f] (or, transposed, y[f] = sum over t of w[t, f] * x[t]),
    /// adding the terms in column order, on up to <paramref name="threads"/> threads.</summary>
    /// <param name="inputs">T pointers to [rows, channels] floats.</param>
    /// <param name="outputs">T pointers to [rows, channels] floats, written.</param>
    /// <param name="weights">The weights, [T, T, channels] or [T, T].</param>
    /// <param name="shape">The columns, rows and channels, and whether the weights have a channel axis.</param>
    /// <param name="transpose">Whether to apply the transposed matrix (the backward pass to the inputs).</param>
    /// <param name="threads">The most threads to use.</param>
    public static void Mix(nint[] inputs, nint[] outputs, nint weights, in MixShape shape, bool transpose, int threads)
    {
        MixShape s = shape;
        int parts = Parts(s, threads);
        if (parts == 1)
        {
            MixRows(inputs, outputs, weights, s, transpose, 0, s.Rows);
            return;
        }

        OpenMpTeam.For(parts, part =>
            MixRows(inputs, outputs, weights, s, transpose, s.Rows * part / parts, s.Rows * (part + 1) / parts));
    }

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

    /// <summary>Splits the rows between threads only where each gets enough work to repay the hand-off.</summary>
    private static int Parts(in MixShape shape, int threads)
    {
        long values = shape.Rows * shape.Channels * shape.Columns;
        return (int)Math.Clamp(Math.Min(threads, values / (1 << 16)), 1, Math.Max(1, shape.Rows));
    }

    /// <summary>Mixes rows [first, end). Four rows go through together, each with its own sum: one weight load serves
    /// four multiply-adds, and four independent chains of additions keep the adder busy where a single chain would
    /// wait on each addition in turn (the first version, a row at a time, ran at a third of this speed). Every sum
    /// still adds its terms in column order.</summary>
    private static void MixRows(
        nint[] inputs, nint[] outputs, nint weights, MixShape shape, bool transpose, long first, long end)
    {
        int columns = shape.Columns, channels = shape.Channels;
        float** x = stackalloc float*[columns];
        for (int i = 0; i < columns; i++)
        {
            x[i] = (float*)inputs[i];
        }

        // A weight column per (output, input) pair with its channel stride: 1 per channel, 0 (broadcast) per stage.
        float** pairWeights = stackalloc float*[columns * columns];
        for (int o = 0; o < columns; o++)
        {
            for (int i = 0; i < columns; i++)
            {
                int to = transpose ? i : o, from = transpose ? o : i;
                pairWeights[(o * columns) + i] =
                    (float*)weights + (((to * columns) + from) * (shape.PerChannel ? channels : 1));
            }
        }

        long r = first;
        for (; r + 4 <= end; r += 4)
        {
            for (int o = 0; o < columns; o++)
            {
                MixFourRows(x, (float*)outputs[o], pairWeights + (o * columns), shape, r * channels);
            }
        }

        for (; r < end; r++)
        {
            for (int o = 0; o < columns; o++)
            {
                MixOneRow(x, (float*)outputs[o], pairWeights + (o * columns), shape, r * channels);
            }
        }
    }

    /// <summary>One output's row at <paramref name="offset"/> (the rows after the last four).</summary>
    private static void MixOneRow(float** x, float* y, float** pair, in MixShape shape, long offset)
    {
        int columns = shape.Columns, channels = shape.Channels;
        int width = Vector<float>.Count;
        int vectorEnd = channels - (channels % width);
        int c = 0;
        for (; c < vectorEnd; c += width)
        {
            Vector<float> sum = Load(x[0] + offset + c) * WeightAt(pair[0], c, shape.PerChannel);
            for (int i = 1; i < columns; i++)
            {
                sum += Load(x[i] + offset + c) * WeightAt(pair[i], c, shape.PerChannel);
            }

            Store(sum, y + offset + c);
        }

        for (; c < channels; c++)
        {
            int step = shape.PerChannel ? c : 0;
            float sum = x[0][offset + c] * pair[0][step];
            for (int i = 1; i < columns; i++)
            {
                sum += x[i][offset + c] * pair[i][step];
            }

            y[offset + c] = sum;
        }
    }

    /// <summary>One output's four consecutive rows from <paramref name="offset"/>.</summary>
    private static void MixFourRows(float** x, float* y, float** pair, in MixShape shape, long offset)
    {
        int columns = shape.Columns, channels = shape.Channels;
        int width = Vector<float>.Count;
        int vectorEnd = channels - (channels % width);
        long a0 = offset, a1 = a0 + channels, a2 = a1 + channels, a3 = a2 + channels;
        int c = Vector512.IsHardwareAccelerated ? MixFourRowsWide(x, y, pair, shape, offset) : 0;
        for (; c < vectorEnd; c += width)
        {
            Vector<float> w = WeightAt(pair[0], c, shape.PerChannel);
            float* column = x[0] + c;
            Vector<float> s0 = Load(column + a0) * w, s1 = Load(column + a1) * w;
            Vector<float> s2 = Load(column + a2) * w, s3 = Load(column + a3) * w;
            for (int i = 1; i < columns; i++)
            {
                w = WeightAt(pair[i], c, shape.PerChannel);
                column = x[i] + c;
                s0 += Load(column + a0) * w;
                s1 += Load(column + a1) * w;
                s2 += Load(column + a2) * w;
                s3 += Load(column + a3) * w;
            }

            Store(s0, y + a0 + c);
            Store(s1, y + a1 + c);
            Store(s2, y + a2 + c);
            Store(s3, y + a3 + c);
        }

        for (; c < channels; c++)
        {
            int step = shape.PerChannel ? c : 0;
            for (long at = a0 + c; at <= a3 + c; at += channels)
            {
                float sum = x[0][at] * pair[0][step];
                for (int i = 1; i < columns; i++)
                {
                    sum += x[i][at] * pair[i][step];
                }

                y[at] = sum;
            }
        }
    }

    /// <summary><see cref="MixFourRows"/> over the channels that fill 512-bit vectors, where the processor has them
    /// (the same products and sums, sixteen channels an instruction: a unit on TCDCN's first stage mixed five columns
    /// in 0.50 ms instead of 0.67 ms on one thread). Returns the first channel left to the narrower loops.</summary>
    private static int MixFourRowsWide(float** x, float* y, float** pair, in MixShape shape, long offset)
    {
        int columns = shape.Columns, channels = shape.Channels;
        int width = Vector512<float>.Count;
        int vectorEnd = channels - (channels % width);
        long a0 = offset, a1 = a0 + channels, a2 = a1 + channels, a3 = a2 + channels;
        int c = 0;
        for (; c < vectorEnd; c += width)
        {
            Vector512<float> w = WideWeightAt(pair[0], c, shape.PerChannel);
            float* column = x[0] + c;
            Vector512<float> s0 = Vector512.Load(column + a0) * w, s1 = Vector512.Load(column + a1) * w;
            Vector512<float> s2 = Vector512.Load(column + a2) * w, s3 = Vector512.Load(column + a3) * w;
            for (int i = 1; i < columns; i++)
            {
                w = WideWeightAt(pair[i], c, shape.PerChannel);
                column = x[i] + c;
                s0 += Vector512.Load(column + a0) * w;
                s1 += Vector512.Load(column + a1) * w;
                s2 += Vector512.Load(column + a2) * w;
                s3 += Vector512.Load(column + a3) * w;
            }

            s0.Store(y + a0 + c);
            s1.Store(y + a1 + c);
            s2.Store(y + a2 + c);
            s3.Store(y + a3 + c);
        }

        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> WideWeightAt(float* pair, int c, bool perChannel) =>
        perChannel ? Vector512.Load(pair + c) : Vector512.Create(*pair);

    /// <summary>The weights of one (output, input) pair for channels [c, c + width): per channel, or the stage's one
    /// weight broadcast.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> WeightAt(float* pair, int c, bool perChannel) =>
        perChannel ? Load(pair + c) : new Vector<float>(*pair);

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

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Store(Vector<float> value, float* destination) => *(Vector<float>*)destination = value;
}
