using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Data;

/// <summary>A temporary folder for the files a test writes, deleted afterwards.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles() => Root = MultiTask.Landmarks.Tests.Infrastructure.TestPaths.NewTemporaryFolder();

    public string Root { get; }

    public string Write(string relativePath, string text)
    {
        string path = Prepare(relativePath);
        File.WriteAllText(path, text);
        return path;
    }

    public string Write(string relativePath, byte[] bytes)
    {
        string path = Prepare(relativePath);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a noisy RGB image (noise keeps JPEG's entropy-coded data long enough to cut).</summary>
    public string WriteImage(string relativePath, int width, int height, bool jpeg = true)
    {
        using var image = new Image<Rgb24>(width, height);
        var random = new Random(7);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)(x * 3), (byte)(y * 5));
            }
        }

        using var stream = new MemoryStream();
        if (jpeg)
        {
            image.SaveAsJpeg(stream);
        }
        else
        {
            image.SaveAsPng(stream);
        }

        return Write(relativePath, stream.ToArray());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private string Prepare(string relativePath)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
