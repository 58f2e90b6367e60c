using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// The activation and max pooling of a convolution stage in training, as one pass forward and one backward over
/// channels-last float32 maps ([N, H, W, C]). libtorch runs |tanh| and pooling as three ops, each a pass over the
/// full-resolution map forward and another backward (tanh, abs, pooling, then their gradients); since max pooling
/// commutes with a non-decreasing function, this kernel pools max |z| (or max z) first, leaves the activation to run
/// on the pooled map, and in the backward pass writes the full-resolution gradient in one go from the pooled one.
/// A stage that does not pool is a window of 1, and dense features [N, F] are N maps of 1 x 1 x F.
/// </summary>
internal static unsafe class ActivationPoolKernel
{
    /// <summary>The codes' bit set when the chosen input was negative (the absolute value's gradient flips sign).
    /// </summary>
    private const int Negative = 1 << 8;

    /// <summary>The codes' bit set when the chosen input was zero (the absolute value's gradient is zero there).
    /// </summary>
    private const int Zero = 1 << 9;

    /// <summary>Gets the largest pooling window the codes can index (the window position takes 8 bits).</summary>
    public const int MostPool = 16;

    /// <summary>The gradient each activation passes back, as a function of its pooled output a.</summary>
    internal enum Derivative
    {
        /// <summary>|tanh|: (1 - a^2), times the sign of the chosen input.</summary>
        AbsTanh,

        /// <summary>tanh: (1 - a^2).</summary>
        Tanh,

        /// <summary>ReLU: 1 where a &gt; 0, else 0.</summary>
        Relu,
    }

    /// <summary>What the kernel pools: N images of H x W x C floats, in windows of Pool x Pool with stride Pool
    /// (rows and columns past the last whole window are dropped, as libtorch's floor mode does).</summary>
    /// <param name="Images">N.</param>
    /// <param name="Height">H.</param>
    /// <param name="Width">W.</param>
    /// <param name="Channels">C.</param>
    /// <param name="Pool">The window's side and stride.</param>
    internal readonly record struct PoolShape(int Images, int Height, int Width, int Channels, int Pool)
    {
        /// <summary>Gets the pooled map's height.</summary>
        public int PooledHeight => Height / Pool;

        /// <summary>Gets the pooled map's width.</summary>
        public int PooledWidth => Width / Pool;

        /// <summary>Gets the number of pooled positions (rows of C values) in all images.</summary>
        public long PooledRows => (long)Images * PooledHeight * PooledWidth;
    }

    /// <summary>Pools max f(z) over each window, f the absolute value or the identity, and records for every pooled
    /// value which window position it came from and the sign of the input there. A NaN wins its window, as in
    /// libtorch; on ties the first position in row order wins.</summary>
    /// <param name="input">[N, H, W, C] floats.</param>
    /// <param name="pooled">[N, H / Pool, W / Pool, C] floats, written.</param>
    /// <param name="codes">One int per pooled value, written: the window position, and the sign bits.</param>
    /// <param name="shape">The map.</param>
    /// <param name="absolute">Whether to pool |z| rather than z.</param>
    /// <param name="threads">The most threads to use.</param>
    public static void Forward(float* input, float* pooled, int* codes, in PoolShape shape, bool absolute, int threads)
    {
        PoolShape s = shape;
        nint x = (nint)input, y = (nint)pooled, code = (nint)codes;
        ForEachPart(s, threads, (first, end) =>
            ForwardImages((float*)x, (float*)y, (int*)code, s, absolute, first, end));
    }

    /// <summary>Writes the input's gradient: at each window's chosen position the pooled gradient times the
    /// activation's derivative (and the input's sign for |tanh|), zero everywhere else.</summary>
    /// <param name="gradient">The pooled output's gradient, [N, H / Pool, W / Pool, C].</param>
    /// <param name="output">The activation of the pooled map, a, in the same shape.</param>
    /// <param name="codes">The forward pass's codes.</param>
    /// <param name="inputGradient">[N, H, W, C] floats, written.</param>
    /// <param name="shape">The map.</param>
    /// <param name="derivative">The activation.</param>
    /// <param name="threads">The most threads to use.</param>
    public static void Backward(
        float* gradient, float* output, int* codes, float* inputGradient, in PoolShape shape, Derivative derivative,
        int threads)
    {
        PoolShape s = shape;
        ClearUncovered(inputGradient, s);
        long rows = s.PooledRows;
        nint g = (nint)gradient, a = (nint)output, code = (nint)codes, dz = (nint)inputGradient;
        ForEachPart(s, threads, (first, end) => BackwardRows(
            (float*)g, (float*)a, (int*)code, (float*)dz, s, derivative, rows * first / s.Images,
            rows * end / s.Images));
    }

    /// <summary>Zeroes the whole input gradient when the windows leave rows or columns uncovered: those get no
    /// gradient, and <see cref="BackwardRows"/> writes only the covered positions.</summary>
    /// <param name="inputGradient">[N, H, W, C] floats.</param>
    /// <param name="shape">The map.</param>
    public static void ClearUncovered(float* inputGradient, in PoolShape shape)
    {
        if (shape.Height % shape.Pool != 0 || shape.Width % shape.Pool != 0)
        {
            long values = (long)shape.Images * shape.Height * shape.Width * shape.Channels;
            NativeMemory.Clear(inputGradient, (nuint)(values * sizeof(float)));
        }
    }

    /// <summary>The backward pass over pooled rows [first, end) (a row is one pooled position's C channels,
    /// numbered image by image, row by row): writes every input position of those windows.</summary>
    /// <param name="gradient">The pooled gradient, addressed by pooled row (row r at gradient + r * C).</param>
    /// <param name="output">The pooled activation, a, addressed the same way.</param>
    /// <param name="codes">The forward pass's codes, addressed the same way.</param>
    /// <param name="inputGradient">[N, H, W, C] floats, written at the windows of the rows.</param>
    /// <param name="s">The map.</param>
    /// <param name="derivative">The activation.</param>
    /// <param name="first">The first pooled row.</param>
    /// <param name="end">One past the last pooled row.</param>
    public static void BackwardRows(
        float* gradient, float* output, int* codes, float* inputGradient, in PoolShape s, Derivative derivative,
        long first, long end)
    {
        int channels = s.Channels, pool = s.Pool, window = pool * pool;
        int width = Vector<float>.Count, vectorEnd = channels - (channels % width);
        long row = (long)s.Width * channels;
        long* offsets = stackalloc long[window];
        WindowOffsets(s, offsets);

        var positionMask = new Vector<int>(0xFF);

        // Row r is image n, pooled row oy, pooled column ox; divide once, then count (a division per row costs as
        // much as the row's own work at 16 channels).
        int pooledWidth = s.PooledWidth, pooledHeight = s.PooledHeight;
        long imageRow = first / pooledWidth;
        int ox = (int)(first - (imageRow * pooledWidth));
        long n = imageRow / pooledHeight;
        int oy = (int)(imageRow - (n * pooledHeight));
        for (long r = first; r < end; r++)
        {
            if (ox == pooledWidth)
            {
                ox = 0;
                if (++oy == pooledHeight)
                {
                    oy = 0;
                    n++;
                }
            }

            long top = (n * s.Height) + ((long)oy * pool);
            float* corner = inputGradient + (top * row) + ((long)ox * pool * channels);
            ox++;
            long at = r * channels;
            float* g = gradient + at;
            float* a = output + at;
            int* code = codes + at;
            int c = 0;
            for (; c < vectorEnd; c += width)
            {
                Vector<int> bits = *(Vector<int>*)(code + c);
                Vector<float> value = Slope(Load(g + c), Load(a + c), bits, derivative);
                Vector<int> position = bits & positionMask;
                for (int k = 0; k < window; k++)
                {
                    Vector<int> chosen = Vector.Equals(position, new Vector<int>(k));
                    Store(Vector.ConditionalSelect(chosen, value, Vector<float>.Zero), corner + offsets[k] + c);
                }
            }

            for (; c < channels; c++)
            {
                float value = Slope(g[c], a[c], code[c], derivative);
                int position = code[c] & 0xFF;
                for (int k = 0; k < window; k++)
                {
                    corner[offsets[k] + c] = k == position ? value : 0f;
                }
            }
        }
    }

    /// <summary>Splits the images between threads only where each gets enough work to repay the hand-off.</summary>
    private static void ForEachPart(in PoolShape shape, int threads, Action<int, int> images)
    {
        long values = (long)shape.Images * shape.Height * shape.Width * shape.Channels;
        int parts = (int)Math.Clamp(Math.Min(threads, values / (1 << 16)), 1, shape.Images);
        if (parts == 1)
        {
            images(0, shape.Images);
            return;
        }

        int n = shape.Images;
        OpenMpTeam.For(parts, part =>
            images(n * part / parts, n * (part + 1) / parts));
    }

    private static void ForwardImages(
        float* input, float* pooled, int* codes, PoolShape s, bool absolute, int first, int end)
    {
        int channels = s.Channels, pool = s.Pool, window = pool * pool;
        int width = Vector<float>.Count, vectorEnd = channels - (channels % width);
        long row = (long)s.Width * channels;
        long* offsets = stackalloc long[window];
        WindowOffsets(s, offsets);

        var negative = new Vector<int>(Negative);
        var zero = new Vector<int>(Zero);
        for (int n = first; n < end; n++)
        {
            for (int oy = 0; oy < s.PooledHeight; oy++)
            {
                float* inputRow = input + ((((long)n * s.Height) + (oy * pool)) * row);
                long outputRow = (((long)n * s.PooledHeight) + oy) * s.PooledWidth * channels;
                for (int ox = 0; ox < s.PooledWidth; ox++)
                {
                    float* corner = inputRow + ((long)ox * pool * channels);
                    float* y = pooled + outputRow + ((long)ox * channels);
                    int* code = codes + outputRow + ((long)ox * channels);
                    int c = 0;
                    for (; c < vectorEnd; c += width)
                    {
                        Vector<float> chosen = Load(corner + c);
                        Vector<float> best = absolute ? Vector.Abs(chosen) : chosen;
                        Vector<int> position = Vector<int>.Zero;
                        for (int k = 1; k < window; k++)
                        {
                            Vector<float> z = Load(corner + offsets[k] + c);
                            Vector<float> v = absolute ? Vector.Abs(z) : z;

                            // Greater, or NaN (the only value unequal to itself).
                            Vector<int> wins = Vector.GreaterThan(v, best) | ~Vector.Equals(v, v);
                            best = Vector.ConditionalSelect(wins, v, best);
                            chosen = Vector.ConditionalSelect(wins, z, chosen);
                            position = Vector.ConditionalSelect(wins, new Vector<int>(k), position);
                        }

                        Vector<int> signs = (Vector.LessThan(chosen, Vector<float>.Zero) & negative)
                            | (Vector.Equals(chosen, Vector<float>.Zero) & zero);
                        Store(best, y + c);
                        *(Vector<int>*)(code + c) = position | signs;
                    }

                    for (; c < channels; c++)
                    {
                        float chosen = corner[c];
                        float best = absolute ? MathF.Abs(chosen) : chosen;
                        int position = 0;
                        for (int k = 1; k < window; k++)
                        {
                            float z = corner[offsets[k] + c];
                            float v = absolute ? MathF.Abs(z) : z;
                            if (v > best || float.IsNaN(v))
                            {
                                best = v;
                                chosen = z;
                                position = k;
                            }
                        }

                        y[c] = best;
                        code[c] = position | (chosen < 0 ? Negative : 0) | (chosen == 0 ? Zero : 0);
                    }
                }
            }
        }
    }

    /// <summary>Each window position's offset, in floats, from the window's first value (row by row).</summary>
    private static void WindowOffsets(in PoolShape s, long* offsets)
    {
        long row = (long)s.Width * s.Channels;
        for (int k = 0; k < s.Pool * s.Pool; k++)
        {
            offsets[k] = ((k / s.Pool) * row) + ((k % s.Pool) * s.Channels);
        }
    }

    /// <summary>The gradient reaching the chosen input, in the order libtorch's chain computes it (the absolute
    /// value's sign, then tanh's g * (1 - a * a), ReLU's g where a &gt; 0), so both give the same floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Slope(Vector<float> g, Vector<float> a, Vector<int> bits, Derivative derivative)
    {
        switch (derivative)
        {
            case Derivative.Relu:
                return Vector.ConditionalSelect(Vector.LessThanOrEqual(a, Vector<float>.Zero), Vector<float>.Zero, g);
            case Derivative.Tanh:
                return g * OneMinusSquare(a);
            default:
                Vector<float> signed = Vector.ConditionalSelect(
                    Vector.Equals(bits & new Vector<int>(Negative), Vector<int>.Zero), g, -g);
                signed = Vector.ConditionalSelect(
                    Vector.Equals(bits & new Vector<int>(Zero), Vector<int>.Zero), signed, Vector<float>.Zero);
                return signed * OneMinusSquare(a);
        }
    }

    private static float Slope(float g, float a, int bits, Derivative derivative)
    {
        switch (derivative)
        {
            case Derivative.Relu:
                return a <= 0 ? 0f : g;
            case Derivative.Tanh:
                return g * MathF.FusedMultiplyAdd(-a, a, 1f);
            default:
                float signed = (bits & Zero) != 0 ? 0f : (bits & Negative) != 0 ? -g : g;
                return signed * MathF.FusedMultiplyAdd(-a, a, 1f);
        }
    }

    /// <summary>1 - a * a with one rounding, as libtorch's compiled tanh gradient computes it (a fused
    /// multiply-add): near a = 1 the difference cancels, and rounding a * a first would change it by many ulps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> OneMinusSquare(Vector<float> a)
    {
        if (Fma.IsSupported && Vector<float>.Count == Vector256<float>.Count)
        {
            Vector256<float> x = a.AsVector256();
            return Fma.MultiplyAddNegated(x, x, Vector256<float>.One).AsVector();
        }

        return OneMinusSquareLaneByLane(a);
    }

    /// <summary><see cref="OneMinusSquare"/> without FMA instructions of the vector's width, a lane at a time.
    /// </summary>
    private static Vector<float> OneMinusSquareLaneByLane(Vector<float> a)
    {
        Span<float> values = stackalloc float[Vector<float>.Count];
        a.CopyTo(values);
        foreach (ref float value in values)
        {
            value = MathF.FusedMultiplyAdd(-value, value, 1f);
        }

        return new Vector<float>(values);
    }

    private static Vector<float> Load(float* source) => *(Vector<float>*)source;

    private static void Store(Vector<float> value, float* destination) => *(Vector<float>*)destination = value;
}
