using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MultiTask.Landmarks.Data.Preprocessing;

/// <summary>
/// The two sampling kernels of the one crop path, on raw pixel spans. Stage one samples an RGB24 image into an 8-bit
/// planar crop (grey or RGB); stage two resamples such a crop into normalised float pixels through an affine grid,
/// with brightness and contrast. <see cref="FaceCropper"/> runs both with an identity grid; the batch loader keeps
/// stage one's output with a margin and runs stage two with each augmentation, so evaluation crops are identical.
/// </summary>
internal static class CropSampler
{
    // ITU-R BT.601 luma weights, as ImageSharp's L8 conversion and most face pipelines use.
    private const float RedWeight = 0.299f;
    private const float GreenWeight = 0.587f;
    private const float BlueWeight = 0.114f;

    /// <summary>Samples an RGB24 image into a planar 8-bit crop.</summary>
    /// <param name="rgb">The image's pixels, row-major RGB24.</param>
    /// <param name="imageWidth">The image's width.</param>
    /// <param name="imageHeight">The image's height.</param>
    /// <param name="cropPixelToImage">The map from crop pixel centres to image pixels.</param>
    /// <param name="width">The crop's width.</param>
    /// <param name="height">The crop's height.</param>
    /// <param name="grey">Whether to write one luma plane instead of three RGB planes.</param>
    /// <param name="fill">The value of pixels outside the image.</param>
    /// <param name="antialias">Whether to average a grid of samples when a crop pixel spans several image pixels.
    /// </param>
    /// <param name="destination">The crop, [C, H, W].</param>
    public static void SampleImage(
        ReadOnlySpan<byte> rgb, int imageWidth, int imageHeight, Affine2D cropPixelToImage,
        int width, int height, bool grey, byte fill, bool antialias, Span<byte> destination)
    {
        int grid = antialias ? Math.Clamp((int)Math.Round(Math.Sqrt(Math.Abs(cropPixelToImage.Determinant))), 1, 4) : 1;
        if (cropPixelToImage.M12 == 0 && cropPixelToImage.M21 == 0)
        {
            SampleAxisAligned(rgb, imageWidth, imageHeight, cropPixelToImage, width, height, grid, grey, fill,
                destination);
        }
        else
        {
            SampleAnyAffine(rgb, imageWidth, imageHeight, cropPixelToImage, width, height, grid, grey, fill,
                destination);
        }
    }

    /// <summary>Stage one for any map: each sample's point computed from the map, then sampled.</summary>
    internal static void SampleAnyAffine(
        ReadOnlySpan<byte> rgb, int imageWidth, int imageHeight, Affine2D cropPixelToImage,
        int width, int height, int grid, bool grey, byte fill, Span<byte> destination)
    {
        int plane = width * height;
        float weight = 1f / (grid * grid);
        Affine2D m = cropPixelToImage;
        for (int i = 0; i < height; i++)
        {
            for (int j = 0; j < width; j++)
            {
                float r = 0, g = 0, b = 0;
                for (int si = 0; si < grid; si++)
                {
                    double v = i + ((si + 0.5) / grid) - 0.5;
                    for (int sj = 0; sj < grid; sj++)
                    {
                        double u = j + ((sj + 0.5) / grid) - 0.5;
                        double x = (m.M11 * u) + (m.M12 * v) + m.OffsetX;
                        double y = (m.M21 * u) + (m.M22 * v) + m.OffsetY;
                        BilinearRgb(rgb, imageWidth, imageHeight, x, y, fill, ref r, ref g, ref b);
                    }
                }

                Write(r, g, b, weight, grey, destination, (i * width) + j, plane);
            }
        }
    }

    /// <summary>
    /// Stage one for a map without rotation or shear, which is every face box's: a sample's x then depends on its
    /// column alone and its y on its row alone, so both are worked out once per column and per row rather than once per
    /// sample (a 40x40 crop of a 150-pixel face takes 16 samples a pixel). The arithmetic per sample is that of
    /// <see cref="SampleAnyAffine"/>, operation for operation, so both give the same bytes.
    /// </summary>
    internal static unsafe void SampleAxisAligned(
        ReadOnlySpan<byte> rgb, int imageWidth, int imageHeight, Affine2D cropPixelToImage,
        int width, int height, int grid, bool grey, byte fill, Span<byte> destination)
    {
        int plane = width * height;
        float weight = 1f / (grid * grid);
        Affine2D m = cropPixelToImage;
        // On the stack for the usual crops (up to 128 pixels a side at the densest grid): 2.5 KB an axis at 40x40.
        Span<Axis> columns = width * grid <= 512 ? stackalloc Axis[width * grid] : new Axis[width * grid];
        Span<Axis> rows = height * grid <= 512 ? stackalloc Axis[height * grid] : new Axis[height * grid];
        Samples(columns, width, grid, m.M11, m.OffsetX, imageWidth);
        Samples(rows, height, grid, m.M22, m.OffsetY, imageHeight);
        int stride = imageWidth * 3;
        Vector128<float> outside = Vector128.Create((float)fill);
        fixed (byte* pixels = rgb)
        {
            // Four bytes from the image's last pixel would read one past its end.
            byte* last = pixels + rgb.Length - 3;
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    // R, G and B side by side in the first three lanes; each lane adds exactly the products, in
                    // exactly the order, of the scalar sum it replaces.
                    Vector128<float> sum = Vector128<float>.Zero;
                    for (int si = 0; si < grid; si++)
                    {
                        Axis y = rows[(i * grid) + si];
                        for (int sj = 0; sj < grid; sj++)
                        {
                            Axis x = columns[(j * grid) + sj];
                            float w00 = x.Before * y.Before, w10 = x.Fraction * y.Before;
                            float w01 = x.Before * y.Fraction, w11 = x.Fraction * y.Fraction;
                            if (x.Inside && y.Inside)
                            {
                                byte* p00 = pixels + (y.Start * stride) + (x.Start * 3);
                                byte* p01 = p00 + stride;
                                sum += (Pixel(p00, last) * w00) + (Pixel(p00 + 3, last) * w10)
                                    + (Pixel(p01, last) * w01) + (Pixel(p01 + 3, last) * w11);
                                continue;
                            }

                            sum += Tap(pixels, imageWidth, imageHeight, x.Start, y.Start, outside, last) * w00;
                            sum += Tap(pixels, imageWidth, imageHeight, x.Start + 1, y.Start, outside, last) * w10;
                            sum += Tap(pixels, imageWidth, imageHeight, x.Start, y.Start + 1, outside, last) * w01;
                            sum += Tap(pixels, imageWidth, imageHeight, x.Start + 1, y.Start + 1, outside, last) * w11;
                        }
                    }

                    Write(sum.GetElement(0), sum.GetElement(1), sum.GetElement(2), weight, grey, destination,
                        (i * width) + j, plane);
                }
            }
        }
    }

    /// <summary>A pixel's R, G and B as the first three lanes (the fourth is the next byte, or 0 at the image's end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<float> Pixel(byte* pixel, byte* last)
    {
        if (Sse41.IsSupported && pixel != last)
        {
            return Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(pixel));
        }

        return Vector128.Create(pixel[0], pixel[1], pixel[2], 0f);
    }

    private static unsafe Vector128<float> Tap(
        byte* pixels, int width, int height, int x, int y, Vector128<float> outside, byte* last) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? Pixel(pixels + (((y * width) + x) * 3), last) : outside;

    /// <summary>Where one axis's samples fall: the first of the two pixels between which each is interpolated, the
    /// weights of the two, and whether both pixels lie inside the image along this axis.</summary>
    private readonly record struct Axis(int Start, float Fraction, float Before, bool Inside);

    private static void Samples(Span<Axis> samples, int size, int grid, double scale, double offset, int imageSize)
    {
        for (int k = 0; k < size; k++)
        {
            for (int s = 0; s < grid; s++)
            {
                // As BilinearRgb computes it: the point, clamped, floored; the other axis's term of the map is zero.
                double t = k + ((s + 0.5) / grid) - 0.5;
                double at = Math.Clamp((scale * t) + offset, -2.0, imageSize + 1.0);
                int start = (int)Math.Floor(at);
                float fraction = (float)(at - start);
                samples[(k * grid) + s] = new Axis(start, fraction, 1 - fraction, (uint)start < (uint)(imageSize - 1));
            }
        }
    }

    private static void Write(float r, float g, float b, float weight, bool grey, Span<byte> destination, int index,
        int plane)
    {
        if (grey)
        {
            destination[index] = ToByte(((RedWeight * r) + (GreenWeight * g) + (BlueWeight * b)) * weight);
        }
        else
        {
            destination[index] = ToByte(r * weight);
            destination[plane + index] = ToByte(g * weight);
            destination[(2 * plane) + index] = ToByte(b * weight);
        }
    }

    /// <summary>Resamples a planar 8-bit crop into normalised float pixels.</summary>
    /// <param name="source">The source crop, [C, sourceHeight, sourceWidth].</param>
    /// <param name="sourceWidth">The source's width.</param>
    /// <param name="sourceHeight">The source's height.</param>
    /// <param name="channels">The number of planes.</param>
    /// <param name="outputPixelToSource">The map from output pixel centres to source pixels.</param>
    /// <param name="width">The output's width.</param>
    /// <param name="height">The output's height.</param>
    /// <param name="fill">The value of pixels outside the source.</param>
    /// <param name="contrast">The contrast factor about mid-grey (1 leaves intensities alone).</param>
    /// <param name="brightness">The shift added to intensities in 0..1 (0 leaves them alone).</param>
    /// <param name="options">The normalisation.</param>
    /// <param name="destination">The output, [C, H, W].</param>
    public static void SampleCrop(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int channels, Affine2D outputPixelToSource,
        int width, int height, byte fill, float contrast, float brightness, CropOptions options,
        Span<float> destination)
    {
        int sourcePlane = sourceWidth * sourceHeight;
        int plane = width * height;
        bool adjust = contrast != 1f || brightness != 0f;
        float shift = (0.5f * (1 - contrast)) + brightness;
        float mean = options.Mean;
        float inverseStd = 1f / options.Std;
        Affine2D m = outputPixelToSource;

        if (outputPixelToSource == Affine2D.Identity && width == sourceWidth && height == sourceHeight)
        {
            // The predictor's case: every output pixel is a source pixel (the interpolation's fractions are 0, so the
            // general path below yields the pixel itself, bit for bit), and only the scaling is left.
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<byte> from = source.Slice(c * sourcePlane, plane);
                Span<float> to = destination.Slice(c * plane, plane);
                for (int k = 0; k < plane; k++)
                {
                    to[k] = Normalise(from[k], adjust, contrast, shift, mean, inverseStd);
                }
            }

            return;
        }

        // This runs for every face of every training batch, so it walks each row incrementally and takes the four
        // neighbours straight from the span when they all lie inside; only edge samples go through Fetch.
        for (int i = 0; i < height; i++)
        {
            double x = (m.M12 * i) + m.OffsetX;
            double y = (m.M22 * i) + m.OffsetY;
            int row = i * width;
            for (int j = 0; j < width; j++, x += m.M11, y += m.M21)
            {
                double cx = Math.Clamp(x, -2.0, sourceWidth + 1.0);
                double cy = Math.Clamp(y, -2.0, sourceHeight + 1.0);
                int x0 = (int)Math.Floor(cx);
                int y0 = (int)Math.Floor(cy);
                float fx = (float)(cx - x0);
                float fy = (float)(cy - y0);
                bool inside = (uint)x0 < (uint)(sourceWidth - 1) && (uint)y0 < (uint)(sourceHeight - 1);
                int p = (y0 * sourceWidth) + x0;
                for (int c = 0; c < channels; c++)
                {
                    float value;
                    if (inside)
                    {
                        int q = (c * sourcePlane) + p;
                        float top = source[q] + (fx * (source[q + 1] - source[q]));
                        float bottom = source[q + sourceWidth]
                            + (fx * (source[q + sourceWidth + 1] - source[q + sourceWidth]));
                        value = top + (fy * (bottom - top));
                    }
                    else
                    {
                        value = BilinearEdge(source.Slice(c * sourcePlane, sourcePlane), sourceWidth, sourceHeight,
                            x0, y0, fx, fy, fill);
                    }

                    destination[(c * plane) + row + j] = Normalise(value, adjust, contrast, shift, mean, inverseStd);
                }
            }
        }
    }

    /// <summary>An interpolated 0..255 intensity as the network reads it: scaled to 0..1, adjusted, normalised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Normalise(float value, bool adjust, float contrast, float shift, float mean, float inverseStd)
    {
        value *= 1f / 255f;
        if (adjust)
        {
            value = Math.Clamp((value * contrast) + shift, 0f, 1f);
        }

        return (value - mean) * inverseStd;
    }

    private static void BilinearRgb(
        ReadOnlySpan<byte> rgb, int w, int h, double x, double y, byte fill, ref float r, ref float g, ref float b)
    {
        // Clamping first keeps a box far outside the image from overflowing the integer conversion.
        x = Math.Clamp(x, -2.0, w + 1.0);
        y = Math.Clamp(y, -2.0, h + 1.0);
        int x0 = (int)Math.Floor(x);
        int y0 = (int)Math.Floor(y);
        float fx = (float)(x - x0);
        float fy = (float)(y - y0);
        float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
        if ((uint)x0 < (uint)(w - 1) && (uint)y0 < (uint)(h - 1))
        {
            int p00 = ((y0 * w) + x0) * 3;
            int p01 = p00 + (w * 3);
            r += (w00 * rgb[p00]) + (w10 * rgb[p00 + 3]) + (w01 * rgb[p01]) + (w11 * rgb[p01 + 3]);
            g += (w00 * rgb[p00 + 1]) + (w10 * rgb[p00 + 4]) + (w01 * rgb[p01 + 1]) + (w11 * rgb[p01 + 4]);
            b += (w00 * rgb[p00 + 2]) + (w10 * rgb[p00 + 5]) + (w01 * rgb[p01 + 2]) + (w11 * rgb[p01 + 5]);
            return;
        }

        AddRgb(rgb, w, h, x0, y0, w00, fill, ref r, ref g, ref b);
        AddRgb(rgb, w, h, x0 + 1, y0, w10, fill, ref r, ref g, ref b);
        AddRgb(rgb, w, h, x0, y0 + 1, w01, fill, ref r, ref g, ref b);
        AddRgb(rgb, w, h, x0 + 1, y0 + 1, w11, fill, ref r, ref g, ref b);
    }

    private static void AddRgb(
        ReadOnlySpan<byte> rgb, int w, int h, int x, int y, float weight, byte fill, ref float r, ref float g,
        ref float b)
    {
        if ((uint)x < (uint)w && (uint)y < (uint)h)
        {
            int p = ((y * w) + x) * 3;
            r += weight * rgb[p];
            g += weight * rgb[p + 1];
            b += weight * rgb[p + 2];
        }
        else
        {
            r += weight * fill;
            g += weight * fill;
            b += weight * fill;
        }
    }

    private static float BilinearEdge(
        ReadOnlySpan<byte> plane, int w, int h, int x0, int y0, float fx, float fy, byte fill)
    {
        float v00 = Fetch(plane, w, h, x0, y0, fill);
        float v10 = Fetch(plane, w, h, x0 + 1, y0, fill);
        float v01 = Fetch(plane, w, h, x0, y0 + 1, fill);
        float v11 = Fetch(plane, w, h, x0 + 1, y0 + 1, fill);
        float upper = v00 + (fx * (v10 - v00));
        float lower = v01 + (fx * (v11 - v01));
        return upper + (fy * (lower - upper));
    }

    private static float Fetch(ReadOnlySpan<byte> plane, int w, int h, int x, int y, byte fill) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? plane[(y * w) + x] : fill;

    private static byte ToByte(float value) => (byte)Math.Clamp((int)(value + 0.5f), 0, 255);
}
