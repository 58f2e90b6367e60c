using System.Numerics;
using System.Runtime.CompilerServices;
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
internal static unsafe partial class CrossStitchKernel
{
    /// <summary>What the kernel mixes: T columns of rows x channels floats, with weights per channel or per stage.
    /// </summary>
    /// <param name="Columns">T.</param>
    /// <param name="Rows">Rows of each column.</param>
    /// <param name="Channels">Values in a row.</param>
    /// <param name="PerChannel">Whether the weights have a channel axis ([T, T, C]) or not ([T, T]).</param>
    internal readonly record struct MixShape(int Columns, long Rows, int Channels, bool PerChannel);

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

    /// <summary>Splits the rows between threads only where each gets enough work to repay the hand-off.</summary>
    private static int Parts(in MixShape shape, int threads)
    {
        long values = shape.Rows * shape.Channels * shape.Columns;
        return (int)Math.Clamp(Math.Min(threads, values / (1 << 16)), 1, Math.Max(1, shape.Rows));
    }

    /// <summary>Mixes rows [first, end). Four rows go through together, each with its own sum: one weight load serves
    /// four multiply-adds, and four independent chains of additions keep the adder busy where a single chain would
    /// wait on each addition in turn (a row at a time, five columns on TCDCN's first unit took 0.96-1.59 ms against
    /// 0.55 ms on one thread). Every sum still adds its terms in column order.</summary>
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

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Store(Vector<float> value, float* destination) => *(Vector<float>*)destination = value;
}
