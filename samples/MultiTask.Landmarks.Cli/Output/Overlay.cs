using MultiTask.Landmarks.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Cli.Output;

/// <summary>Draws a prediction's box and points onto a copy of the image. ImageSharp.Drawing is not available here,
/// so this sets pixels directly: enough for dots and a rectangle.</summary>
internal static class Overlay
{
    private static readonly Rgb24 BoxColour = new(255, 220, 0);
    private static readonly Rgb24[] PointColours =
    {
        new(255, 60, 60), new(60, 160, 255), new(60, 220, 60), new(255, 120, 220), new(255, 255, 255),
    };

    public static void Draw(string imagePath, FacePrediction prediction, string outputPath)
    {
        using Image<Rgb24> image = Image.Load<Rgb24>(imagePath);
        int thickness = Math.Max(1, Math.Min(image.Width, image.Height) / 150);
        DrawRectangle(image, prediction.Box, thickness);
        for (int i = 0; i < prediction.Landmarks.Count; i++)
        {
            DrawDot(image, prediction.Landmarks[i].X, prediction.Landmarks[i].Y, (thickness * 2) + 1,
                PointColours[i % PointColours.Length]);
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        image.SaveAsPng(outputPath);
    }

    private static void DrawRectangle(Image<Rgb24> image, Data.FaceBox box, int thickness)
    {
        int left = (int)MathF.Round(box.X), top = (int)MathF.Round(box.Y);
        int right = (int)MathF.Round(box.Right), bottom = (int)MathF.Round(box.Bottom);
        for (int t = 0; t < thickness; t++)
        {
            for (int x = left; x <= right; x++)
            {
                Set(image, x, top + t, BoxColour);
                Set(image, x, bottom - t, BoxColour);
            }

            for (int y = top; y <= bottom; y++)
            {
                Set(image, left + t, y, BoxColour);
                Set(image, right - t, y, BoxColour);
            }
        }
    }

    private static void DrawDot(Image<Rgb24> image, float cx, float cy, int radius, Rgb24 colour)
    {
        for (int y = (int)(cy - radius); y <= (int)(cy + radius); y++)
        {
            for (int x = (int)(cx - radius); x <= (int)(cx + radius); x++)
            {
                float dx = x - cx, dy = y - cy;
                if ((dx * dx) + (dy * dy) <= radius * radius)
                {
                    Set(image, x, y, colour);
                }
            }
        }
    }

    private static void Set(Image<Rgb24> image, int x, int y, Rgb24 colour)
    {
        if (x >= 0 && y >= 0 && x < image.Width && y < image.Height)
        {
            image[x, y] = colour;
        }
    }
}
