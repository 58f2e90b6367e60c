using MultiTask.Landmarks.Tests.Data;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>The broken image files of the corpus, by name, with the words that their error must hold.</summary>
internal static class BrokenImageFiles
{
    public static IReadOnlyList<(string Name, string Expected)> All { get; } = new[]
    {
        ("empty.jpg", "the file is empty"),
        ("text.png", "not an image in a known format"),
        ("jpeg-half.jpg", "truncated"),
        ("jpeg-header-only.jpg", "Image file"),
        ("png-half.png", "truncated"),
        ("png-without-iend.png", "truncated"),
        ("gif-half.gif", "Image file"),
        ("gif-without-trailer.gif", "truncated"),
        ("bmp-half.bmp", "truncated"),
        ("huge.png", "not decoded"),
        ("huge.jpg", "not decoded"),
        ("huge.gif", "not decoded"),
        ("huge.bmp", "not decoded"),
        ("beyond-bmp-limit.bmp", "cannot be read"),
        ("folder.jpg", "folder"),
    };

    /// <summary>Writes the named broken file (a folder, for <c>folder.jpg</c>) and returns its path.</summary>
    public static string Write(TestFiles files, string name)
    {
        switch (name)
        {
            case "folder.jpg":
                string folder = Path.Combine(files.Root, name);
                Directory.CreateDirectory(folder);
                return folder;
            default:
                return files.Write(name, BrokenBytes(name));
        }
    }

    private static byte[] BrokenBytes(string name)
    {
        byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];
        return name switch
        {
            "empty.jpg" => Array.Empty<byte>(),
            "text.png" => "a caption, not a picture\n"u8.ToArray(),
            "jpeg-half.jpg" => Half(CraftedImages.Jpeg(64, 64)),
            "jpeg-header-only.jpg" => CraftedImages.Jpeg(64, 64)[..120],
            "png-half.png" => Half(CraftedImages.Png(64, 64)),
            "png-without-iend.png" => CraftedImages.Png(64, 64)[..^12],
            "gif-half.gif" => Half(CraftedImages.Gif(64, 64)),
            "gif-without-trailer.gif" => CraftedImages.Gif(64, 64)[..^1],
            "bmp-half.bmp" => Half(CraftedImages.Bmp(64, 64)),
            "huge.png" => CraftedImages.PngClaiming(100_000, 100_000),
            "huge.jpg" => CraftedImages.JpegClaiming(65_535, 65_535),
            "huge.gif" => CraftedImages.GifClaiming(65_535, 65_535),
            "huge.bmp" => CraftedImages.BmpClaiming(60_000, 60_000),
            "beyond-bmp-limit.bmp" => CraftedImages.BmpClaiming(200_000, 200_000),
            _ => throw new ArgumentException($"No broken file named {name}.", nameof(name)),
        };
    }
}
