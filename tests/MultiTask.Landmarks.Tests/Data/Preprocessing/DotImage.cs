using MultiTask.Landmarks.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Data.Preprocessing;

/// <summary>Dark RGB images with a bright Gaussian dot under given points, and a way to find a dot again in a crop:
/// the ground truth for "image and landmarks move together".</summary>
internal static class DotImage
{
    /// <summary>Draws a Gaussian dot of standard deviation <paramref name="sigma"/> px under every point.</summary>
    public static byte[] Draw(int width, int height, IReadOnlyList<Landmark> points, double sigma, byte peak = 255)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double value = 0;
                foreach (Landmark point in points)
                {
                    double dx = x - point.X, dy = y - point.Y;
                    value = Math.Max(value, peak * Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sigma * sigma)));
                }

                byte v = (byte)Math.Round(value);
                int p = ((y * width) + x) * 3;
                rgb[p] = v;
                rgb[p + 1] = v;
                rgb[p + 2] = v;
            }
        }

        return rgb;
    }

    public static MemoryImageSource Source(int width, int height, IReadOnlyList<Landmark> points, double sigma)
    {
        using Image<Rgb24> image = Image.LoadPixelData<Rgb24>(Draw(width, height, points, sigma), width, height);
        return new MemoryImageSource(image, $"dots-{width}x{height}");
    }

    /// <summary>Finds the brightness-weighted centroid of one plane within <paramref name="radius"/> px of a guess,
    /// above the window's darkest value (so that a brightness shift does not pull it to the window's centre).
    /// </summary>
    public static (double X, double Y) Centroid(
        ReadOnlySpan<float> plane, int width, int height, double guessX, double guessY, int radius)
    {
        int x0 = Math.Max(0, (int)Math.Floor(guessX - radius));
        int x1 = Math.Min(width - 1, (int)Math.Ceiling(guessX + radius));
        int y0 = Math.Max(0, (int)Math.Floor(guessY - radius));
        int y1 = Math.Min(height - 1, (int)Math.Ceiling(guessY + radius));
        float floor = float.MaxValue;
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                floor = Math.Min(floor, plane[(y * width) + x]);
            }
        }

        double sum = 0, sx = 0, sy = 0;
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                double w = plane[(y * width) + x] - floor;
                sum += w;
                sx += w * x;
                sy += w * y;
            }
        }

        return sum > 0 ? (sx / sum, sy / sum) : (double.NaN, double.NaN);
    }
}
