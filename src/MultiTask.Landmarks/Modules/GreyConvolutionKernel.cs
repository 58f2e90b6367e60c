using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A convolution of one-channel (grey) images, with its bias, an optional absolute value and max pooling, in one
/// pass, written channels-last. oneDNN vectorises a convolution over its input channels, and with one there is little
/// to vectorise: TCDCN's first convolution ran at about 11 GMAC/s on one face, its later ones at about 40. Here each
/// output pixel's channels are the vector lanes, each input pixel is broadcast against a vector of filter taps, and
/// four output positions are summed side by side so that the multiply-adds do not wait on each other; the pooling is
/// taken while the values are still in registers, so the full-resolution map is never written.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GreyConvolutionKernel
{
    private static readonly int Width = Vector<float>.Count;

    /// <summary>The layer's shape.</summary>
    /// <param name="Height">The input's height.</param>
    /// <param name="Width">The input's width.</param>
    /// <param name="Kernel">The square kernel's side.</param>
    /// <param name="Stride">The convolution's stride.</param>
    /// <param name="Padding">The zero padding on each side.</param>
    /// <param name="Pool">The max pooling's window and stride (1 for none; the remainder rows and columns are dropped,
    /// as libtorch's floor mode does).</param>
    /// <param name="Channels">The output channels.</param>
    /// <param name="Absolute">Whether the absolute value is taken before the pooling.</param>
    internal readonly record struct Geometry(
        int Height, int Width, int Kernel, int Stride, int Padding, int Pool, int Channels, bool Absolute)
    {
        /// <summary>Gets the convolution's output height.</summary>
        public int ConvHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

        /// <summary>Gets the convolution's output width.</summary>
        public int ConvWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

        /// <summary>Gets the output's height after the pooling.</summary>
        public int OutputHeight => ConvHeight / Pool;

        /// <summary>Gets the output's width after the pooling.</summary>
        public int OutputWidth => ConvWidth / Pool;

        /// <summary>Gets the channels rounded up to whole vectors: the packed filters' row length.</summary>
        public int PaddedChannels => (Channels + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
    }

    /// <summary>Lays the filters out as the kernel reads them: one row of channels per tap, zero beyond the channels.
    /// </summary>
    /// <param name="weights">The filters, [channels, 1, kernel, kernel] floats.</param>
    /// <param name="bias">The bias, [channels] floats, or empty for none.</param>
    /// <param name="geometry">The layer.</param>
    /// <returns>[kernel * kernel + 1, padded channels] floats: the taps, then the bias.</returns>
    public static float[] Pack(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, in Geometry geometry)
    {
        int taps = geometry.Kernel * geometry.Kernel, row = geometry.PaddedChannels;
        var packed = new float[(taps + 1) * row];
        for (int c = 0; c < geometry.Channels; c++)
        {
            for (int tap = 0; tap < taps; tap++)
            {
                packed[(tap * row) + c] = weights[(c * taps) + tap];
            }

            packed[(taps * row) + c] = bias.IsEmpty ? 0f : bias[c];
        }

        return packed;
    }

    /// <summary>
    /// The most images a call is worth it for. On one image it took 22-40 us (TCDCN's first stage, 16 channels) where
    /// libtorch's convolution, absolute value and pooling took 73-120 us; from four images on, oneDNN's batched
    /// convolution caught up, and at 16 and more (on two threads) it was faster.
    /// </summary>
    public const int MostImages = 2;

    /// <summary>Runs the layer on a few images, on the calling thread.</summary>
    /// <param name="images">[images, 1, height, width] float32 CPU images whose rows lie one after another.</param>
    /// <param name="packed">The filters as <see cref="Pack"/> lays them out.</param>
    /// <param name="geometry">The layer.</param>
    /// <returns>[images, output height, output width, channels], contiguous, owned by the caller.</returns>
    public static Tensor Run(Tensor images, float[] packed, in Geometry geometry)
    {
        long count = images.shape[0];
        Tensor result = empty(new[] { count, geometry.OutputHeight, geometry.OutputWidth, geometry.Channels });
        fixed (byte* source = images.bytes, target = result.bytes)
        {
            Run((float*)source, (int)count, packed, (float*)target, geometry);
        }

        return result;
    }

    /// <summary>Runs the layer on a few images, on the calling thread.</summary>
    /// <param name="input">The images, [images, height, width] floats.</param>
    /// <param name="images">How many images.</param>
    /// <param name="packed">The filters as <see cref="Pack"/> lays them out.</param>
    /// <param name="output">The result, [images, output height, output width, channels] floats, written.</param>
    /// <param name="geometry">The layer.</param>
    public static void Run(float* input, int images, float[] packed, float* output, in Geometry geometry)
    {
        Geometry g = geometry;
        int paddedHeight = g.Height + (2 * g.Padding), paddedWidth = g.Width + (2 * g.Padding);
        float[]? frame = g.Padding > 0 ? new float[paddedHeight * paddedWidth] : null;
        float* scratch = stackalloc float[g.PaddedChannels];
        long inputSize = (long)g.Height * g.Width, outputSize = (long)g.OutputHeight * g.OutputWidth * g.Channels;
        fixed (float* filters = packed, framed = frame)
        {
            for (int image = 0; image < images; image++)
            {
                float* source = input + (image * inputSize);
                if (framed is not null)
                {
                    // Zero padding as a bordered copy of the image, so the inner loops never test bounds.
                    for (int y = 0; y < g.Height; y++)
                    {
                        Buffer.MemoryCopy(
                            source + (y * g.Width), framed + ((y + g.Padding) * paddedWidth) + g.Padding,
                            g.Width * sizeof(float), g.Width * sizeof(float));
                    }

                    source = framed;
                }

                Image(source, paddedWidth, filters, scratch, output + (image * outputSize), g);
            }
        }
    }

    private static void Image(float* image, int rowLength, float* filters, float* best, float* output, in Geometry g)
    {
        int pool = g.Pool, stride = g.Stride, outWidth = g.OutputWidth, channels = g.Channels;
        int taps = g.Kernel * g.Kernel;

        // Each tap's offset from a position's top-left input pixel, so that the sums run over one flat loop.
        int* tapOffsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++)
        {
            tapOffsets[t] = ((t / g.Kernel) * rowLength) + (t % g.Kernel);
        }

        // The positions the sums are taken at, from a pooled pixel's first one, in groups of four: a pooling window
        // (its last group filled up with repeats of the group's first position, which the maximum ignores), or,
        // unpooled, four neighbours in a row.
        int positions = pool == 1 ? 4 : (pool * pool + 3) / 4 * 4;
        int* window = stackalloc int[positions];
        for (int i = 0; i < positions; i++)
        {
            int position = pool == 1 ? i : (i < pool * pool ? i : i / 4 * 4);
            (int dy, int dx) = pool == 1 ? (0, position) : (position / pool, position % pool);
            window[i] = ((dy * rowLength) + dx) * stride;
        }

        int* offsets = stackalloc int[4];
        for (int py = 0; py < g.OutputHeight; py++)
        {
            int rowStart = py * pool * stride * rowLength;
            float* outputRow = output + (py * outWidth * channels);
            if (pool == 1)
            {
                for (int px = 0; px < outWidth; px += 4)
                {
                    int count = Math.Min(4, outWidth - px), start = rowStart + (px * stride);
                    for (int i = 0; i < 4; i++)
                    {
                        offsets[i] = start + window[i < count ? i : 0];
                    }

                    Four(image, offsets, tapOffsets, filters, outputRow + (px * channels), count, best, g, false, true);
                }

                continue;
            }

            for (int px = 0; px < outWidth; px++)
            {
                int start = rowStart + (px * pool * stride);
                for (int group = 0; group < positions; group += 4)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        offsets[i] = start + window[group + i];
                    }

                    Four(image, offsets, tapOffsets, filters, best, 4, best, g, true, group == 0);
                }

                long bytes = channels * sizeof(float);
                Buffer.MemoryCopy(best, outputRow + (px * channels), bytes, bytes);
            }
        }
    }

    /// <summary>Sums four positions' convolutions, two vectors of channels at a time (eight independent sums keep
    /// both multiply-add units busy) and then the odd one. Pooled, their maximum goes into (or, after the first
    /// group, is merged with) <paramref name="best"/>; unpooled, the first <paramref name="count"/> positions are
    /// written one pixel after another from <paramref name="target"/>.</summary>
    private static void Four(
        float* image, int* offsets, int* tapOffsets, float* filters, float* target, int count, float* best,
        in Geometry g, bool pooled, bool first)
    {
        int taps = g.Kernel * g.Kernel, row = g.PaddedChannels;
        float* p0 = image + offsets[0], p1 = image + offsets[1], p2 = image + offsets[2], p3 = image + offsets[3];
        float* bias = filters + (taps * row);
        float* sums = stackalloc float[8 * Width];
        int v = 0;
        for (; v + (2 * Width) <= row; v += 2 * Width)
        {
            Vector<float> low = Load(bias + v), high = Load(bias + v + Width);
            Vector<float> a0 = low, a1 = low, a2 = low, a3 = low, b0 = high, b1 = high, b2 = high, b3 = high;
            float* tap = filters + v;
            for (int t = 0; t < taps; t++, tap += row)
            {
                Vector<float> w = Load(tap), u = Load(tap + Width);
                int at = tapOffsets[t];
                a0 = MulAdd(new Vector<float>(p0[at]), w, a0);
                b0 = MulAdd(new Vector<float>(p0[at]), u, b0);
                a1 = MulAdd(new Vector<float>(p1[at]), w, a1);
                b1 = MulAdd(new Vector<float>(p1[at]), u, b1);
                a2 = MulAdd(new Vector<float>(p2[at]), w, a2);
                b2 = MulAdd(new Vector<float>(p2[at]), u, b2);
                a3 = MulAdd(new Vector<float>(p3[at]), w, a3);
                b3 = MulAdd(new Vector<float>(p3[at]), u, b3);
            }

            // Out of registers before anything is called: a call here would make the JIT spill the sums inside
            // the loop, every multiply-add then waiting on a store.
            Store(a0, sums);
            Store(a1, sums + Width);
            Store(a2, sums + (2 * Width));
            Store(a3, sums + (3 * Width));
            Store(b0, sums + (4 * Width));
            Store(b1, sums + (5 * Width));
            Store(b2, sums + (6 * Width));
            Store(b3, sums + (7 * Width));
            Finish(sums, v, target, count, best, g, pooled, first);
            Finish(sums + (4 * Width), v + Width, target, count, best, g, pooled, first);
        }

        for (; v < row; v += Width)
        {
            Vector<float> start = Load(bias + v);
            Vector<float> a0 = start, a1 = start, a2 = start, a3 = start;
            float* tap = filters + v;
            for (int t = 0; t < taps; t++, tap += row)
            {
                Vector<float> w = Load(tap);
                int at = tapOffsets[t];
                a0 = MulAdd(new Vector<float>(p0[at]), w, a0);
                a1 = MulAdd(new Vector<float>(p1[at]), w, a1);
                a2 = MulAdd(new Vector<float>(p2[at]), w, a2);
                a3 = MulAdd(new Vector<float>(p3[at]), w, a3);
            }

            Store(a0, sums);
            Store(a1, sums + Width);
            Store(a2, sums + (2 * Width));
            Store(a3, sums + (3 * Width));
            Finish(sums, v, target, count, best, g, pooled, first);
        }
    }

    /// <summary>Channels [v, v + width) of four positions, one vector each from <paramref name="sums"/>: pooled,
    /// merged into <paramref name="best"/>; unpooled, written to the first <paramref name="count"/> pixels (the
    /// padded lanes stay behind).</summary>
    private static void Finish(
        float* sums, int v, float* target, int count, float* best, in Geometry g, bool pooled, bool first)
    {
        if (pooled)
        {
            Vector<float> a0 = Load(sums), a1 = Load(sums + Width);
            Vector<float> a2 = Load(sums + (2 * Width)), a3 = Load(sums + (3 * Width));
            if (g.Absolute)
            {
                (a0, a1, a2, a3) = (Vector.Abs(a0), Vector.Abs(a1), Vector.Abs(a2), Vector.Abs(a3));
            }

            Vector<float> max = Vector.Max(Vector.Max(a0, a1), Vector.Max(a2, a3));
            Store(first ? max : Vector.Max(max, Load(best + v)), best + v);
            return;
        }

        int lanes = Math.Min(Width, g.Channels - v);
        for (int i = 0; i < count; i++)
        {
            float* sum = sums + (i * Width);
            if (g.Absolute)
            {
                Store(Vector.Abs(Load(sum)), sum);
            }

            Buffer.MemoryCopy(sum, target + (i * g.Channels) + v, lanes * sizeof(float), lanes * sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MulAdd(Vector<float> a, Vector<float> b, Vector<float> addend)
    {
        if (Fma.IsSupported && Vector<float>.Count == Vector256<float>.Count)
        {
            return Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), addend.AsVector256()).AsVector();
        }

        return (a * b) + addend;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(float* source) => Unsafe.ReadUnaligned<Vector<float>>(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> value, float* target) => Unsafe.WriteUnaligned(target, value);
}
