using System.Numerics;
using System.Runtime.InteropServices;
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
    // input gradients stays in a 48 KB level-1 cache while the T^2 pairs are summed.
    private const int BlockBytes = 32 * 1024;

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
    /// weights' gradient (sum over rows of g[t] * x[f] per channel), in one pass over each block of rows while it is in
    /// cache.</summary>
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

    private static void MixRows(
        nint[] inputs, nint[] outputs, nint weights, MixShape shape, bool transpose, long first, long end)
    {
        int columns = shape.Columns, channels = shape.Channels;
        bool perChannel = shape.PerChannel;
        float** x = stackalloc float*[columns];
        for (int i = 0; i < columns; i++)
        {
            x[i] = (float*)inputs[i];
        }

        int width = Vector<float>.Count;
        int vectorEnd = channels - (channels % width);

        // A weight column per (output, input) pair with its channel stride: 1 per channel, 0 (broadcast) per stage.
        float** pairWeights = stackalloc float*[columns * columns];
        for (int o = 0; o < columns; o++)
        {
            for (int i = 0; i < columns; i++)
            {
                int to = transpose ? i : o, from = transpose ? o : i;
                pairWeights[(o * columns) + i] =
                    (float*)weights + (((to * columns) + from) * (perChannel ? channels : 1));
            }
        }

        for (long r = first; r < end; r++)
        {
            long offset = r * channels;
            for (int o = 0; o < columns; o++)
            {
                float* y = (float*)outputs[o] + offset;
                int pair = o * columns;
                int c = 0;
                if (perChannel)
                {
                    for (; c < vectorEnd; c += width)
                    {
                        Vector<float> sum = Load(x[0] + offset + c) * Load(pairWeights[pair] + c);
                        for (int i = 1; i < columns; i++)
                        {
                            sum += Load(x[i] + offset + c) * Load(pairWeights[pair + i] + c);
                        }

                        Store(sum, y + c);
                    }
                }
                else
                {
                    for (; c < vectorEnd; c += width)
                    {
                        Vector<float> sum = Load(x[0] + offset + c) * new Vector<float>(*pairWeights[pair]);
                        for (int i = 1; i < columns; i++)
                        {
                            sum += Load(x[i] + offset + c) * new Vector<float>(*pairWeights[pair + i]);
                        }

                        Store(sum, y + c);
                    }
                }

                for (; c < channels; c++)
                {
                    int step = perChannel ? c : 0;
                    float sum = x[0][offset + c] * pairWeights[pair][step];
                    for (int i = 1; i < columns; i++)
                    {
                        sum += x[i][offset + c] * pairWeights[pair + i][step];
                    }

                    y[c] = sum;
                }
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
        float* partial = stackalloc float[channels];
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

    /// <summary>The blocks of <see cref="BackwardRows"/>. A block's partial sums build up in registers, four rows at
    /// a time in four accumulators (one would wait on the previous multiply-add), and reach the double totals once per
    /// block.</summary>
    private static double[] SumBlocks(
        nint[] gradients, nint[] inputs, nint[] inputGradients, nint weights, MixShape shape, long first, long end,
        PooledInputs? pooling, long block, float* scratch, nint[] targets, float* partial)
    {
        int columns = shape.Columns, channels = shape.Channels;
        int width = Vector<float>.Count;
        int vectorEnd = channels - (channels % width);
        var totals = new double[columns * columns * channels];
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

            for (int t = 0; t < columns; t++)
            {
                float* g = (float*)gradients[t];
                for (int f = 0; f < columns; f++)
                {
                    float* x = (float*)inputs[f];
                    int c = 0;
                    for (; c < vectorEnd; c += width)
                    {
                        Vector<float> s0 = Vector<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
                        long r = start;
                        for (; r + 4 <= stop; r += 4)
                        {
                            long at = (r * channels) + c;
                            s0 += Load(g + at) * Load(x + at);
                            s1 += Load(g + at + channels) * Load(x + at + channels);
                            s2 += Load(g + at + (2 * channels)) * Load(x + at + (2 * channels));
                            s3 += Load(g + at + (3 * channels)) * Load(x + at + (3 * channels));
                        }

                        for (; r < stop; r++)
                        {
                            long at = (r * channels) + c;
                            s0 += Load(g + at) * Load(x + at);
                        }

                        Store((s0 + s1) + (s2 + s3), partial + c);
                    }

                    for (; c < channels; c++)
                    {
                        float sum = 0;
                        for (long r = start; r < stop; r++)
                        {
                            long at = (r * channels) + c;
                            sum += g[at] * x[at];
                        }

                        partial[c] = sum;
                    }

                    int pair = ((t * columns) + f) * channels;
                    for (int k = 0; k < channels; k++)
                    {
                        totals[pair + k] += partial[k];
                    }
                }
            }
        }

        return totals;
    }

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Store(Vector<float> value, float* destination) => *(Vector<float>*)destination = value;
}
