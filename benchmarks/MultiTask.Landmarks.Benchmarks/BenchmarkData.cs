using System.Globalization;
using System.Text;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// The inputs of the data-path and predictor benchmarks: the real MTFL files where they are (at <c>$MTL_MTFL_DATA</c>
/// or <c>../shared/data/mtfl</c> beside the repository; read in place, never copied), otherwise generated stand-ins of
/// the same format and size.
/// </summary>
internal static class BenchmarkData
{
    /// <summary>The faces of MTFL's training list, and of the generated stand-in.</summary>
    public const int MtflFaces = 10_000;

    /// <summary>Gets the MTFL folder, or <see langword="null"/> where it is absent.</summary>
    public static string? MtflRoot { get; } = FindMtfl();

    /// <summary>Gets the bytes of <c>training.txt</c>, or of generated text in its format (Windows paths, CRLF, a
    /// leading space on every line after the first) with as many lines.</summary>
    public static byte[] MtflList()
    {
        if (MtflRoot is not null)
        {
            return File.ReadAllBytes(Path.Combine(MtflRoot, "training.txt"));
        }

        var random = new Random(3);
        var text = new StringBuilder();
        for (int i = 0; i < MtflFaces; i++)
        {
            text.Append(i == 0 ? "" : " ").Append(CultureInfo.InvariantCulture, $@"lfw_5590\Face_{i:D4}.jpg");
            for (int c = 0; c < 10; c++)
            {
                text.Append(CultureInfo.InvariantCulture, $" {60 + (130 * random.NextDouble()):F6}");
            }

            text.Append(CultureInfo.InvariantCulture,
                $" {random.Next(1, 3)} {random.Next(1, 3)} {random.Next(1, 3)} {random.Next(1, 6)}\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Gets one encoded face photo: MTFL's first LFW image (250x250 JPEG), or a synthetic face of that size
    /// encoded as JPEG.</summary>
    public static byte[] FacePhoto()
    {
        if (MtflRoot is not null)
        {
            string folder = Path.Combine(MtflRoot, "lfw_5590");
            string? first = Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault();
            if (first is not null)
            {
                return File.ReadAllBytes(first);
            }
        }

        FaceSample sample = new SyntheticFaceGenerator(new SyntheticFaceOptions { ImageSize = 250 }).GenerateFace(0);
        using Image<Rgb24> image = sample.Image.Load();
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    /// <summary>Gets a face box for a photo of the given size: its central 60 %, where LFW's faces are.</summary>
    public static FaceBox CentralBox(int width, int height) =>
        new(0.2f * width, 0.2f * height, 0.6f * width, 0.6f * height);

    private static string? FindMtfl()
    {
        string? configured = Environment.GetEnvironmentVariable("MTL_MTFL_DATA");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "training.txt")) ? configured : null;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MultiTask.Landmarks.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "mtfl"));
                return File.Exists(Path.Combine(candidate, "training.txt")) ? candidate : null;
            }
        }

        return null;
    }
}
