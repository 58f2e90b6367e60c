using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tests.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>
/// The image half of the bad-input corpus: every file is generated here. Each broken file must raise
/// <see cref="InvalidDataException"/> naming it (a missing one <see cref="FileNotFoundException"/>) within the
/// <see cref="Bounded"/> guard; each unusual but valid file must decode to its known pixels.
/// </summary>
public sealed class BadImageCorpusTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    public static TheoryData<string, string> BrokenFiles
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach ((string name, string expected) in BrokenImageFiles.All)
            {
                data.Add(name, expected);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Load_BrokenFile_ThrowsInvalidDataNamingTheFile(string name, string expected)
    {
        string path = BrokenImageFiles.Write(files, name);

        var error = Bounded.Throws<InvalidDataException>(() => new FileImageSource(path).Load().Dispose());

        Assert.StartsWith($"Image file {path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingThePath()
    {
        string path = Path.Combine(files.Root, "absent", "face.jpg");

        var error = Bounded.Throws<FileNotFoundException>(() => new FileImageSource(path).Load().Dispose());

        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void Load_PngBytesInAJpgFile_DecodesByContentNotExtension()
    {
        using var source = new Image<Rgb24>(3, 2, new Rgb24(9, 99, 199));
        string path = files.Write("really-a-png.jpg", CraftedImages.Encode(source, new PngEncoder()));

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        Assert.Equal(new Rgb24(9, 99, 199), image[2, 1]);
    }

    [Fact]
    public void Load_OnePixelPng_DecodesItsPixelExactly()
    {
        using var source = new Image<Rgb24>(1, 1, new Rgb24(1, 2, 3));
        string path = files.Write("one.png", CraftedImages.Encode(source, new PngEncoder()));

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        Assert.Equal(new Size(1, 1), image.Size());
        Assert.Equal(new Rgb24(1, 2, 3), image[0, 0]);
    }

    [Fact]
    public void Load_OnePixelJpeg_DecodesAtOnePixel()
    {
        using var source = new Image<Rgb24>(1, 1, new Rgb24(120, 120, 120));
        string path = files.Write("one.jpg", CraftedImages.Encode(source, new JpegEncoder { Quality = 100 }));

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        Assert.Equal(new Size(1, 1), image.Size());
        AssertNear(new Rgb24(120, 120, 120), image[0, 0], tolerance: 2);
    }

    [Fact]
    public void Load_GreyJpeg_GivesEqualChannelsAtItsLevel()
    {
        using var source = new Image<L8>(16, 16, new L8(77));
        byte[] bytes = CraftedImages.Encode(source, new JpegEncoder { ColorType = JpegColorType.Luminance });
        Assert.Equal(1, CraftedImages.JpegComponents(bytes));
        string path = files.Write("grey.jpg", bytes);

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        // A flat block survives JPEG quantisation within a grey level or two.
        AssertNear(new Rgb24(77, 77, 77), image[5, 9], tolerance: 2);
        Assert.Equal(image[5, 9].R, image[5, 9].G);
        Assert.Equal(image[5, 9].R, image[5, 9].B);
    }

    [Theory]
    [InlineData(255, 255, 255, 255, 255, 255, 255)]
    [InlineData(0, 255, 255, 255, 0, 255, 255)]
    [InlineData(255, 255, 0, 255, 255, 255, 0)]
    [InlineData(255, 255, 255, 0, 0, 0, 0)]
    public void Load_AdobeCmykJpeg_ConvertsInkToRgb(byte c, byte m, byte y, byte k, byte r, byte g, byte b)
    {
        // Stored Adobe CMYK is inverted: 255 is no ink. Full cyan ink leaves green and blue; full black ink, black.
        byte[] bytes = CraftedImages.CmykJpeg(c, m, y, k);
        Assert.Equal(4, CraftedImages.JpegComponents(bytes));
        string path = files.Write("cmyk.jpg", bytes);

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        Assert.Equal(new Size(8, 8), image.Size());
        AssertNear(new Rgb24(r, g, b), image[3, 4], tolerance: 2);
    }

    [Fact]
    public void Load_SixteenBitPng_ScalesToEightBitsExactly()
    {
        using var source = new Image<Rgb48>(4, 3);
        source[0, 0] = new Rgb48(0, 257 * 128, 65535);
        source[3, 2] = new Rgb48(257 * 10, 257 * 200, 257 * 33);
        byte[] bytes = CraftedImages.Encode(
            source, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });
        Assert.Equal(16, bytes[24]); // the IHDR bit depth
        string path = files.Write("deep.png", bytes);

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        Assert.Equal(new Rgb24(0, 128, 255), image[0, 0]);
        Assert.Equal(new Rgb24(10, 200, 33), image[3, 2]);
    }

    [Fact]
    public void Load_AnimatedGif_GivesTheFirstFrame()
    {
        string path = files.Write("animated.gif", CraftedImages.AnimatedGif());

        using Image<Rgb24> image = Bounded.Run(() => new FileImageSource(path).Load());

        Assert.Equal(new Size(8, 6), image.Size());
        Assert.Equal(new Rgb24(255, 0, 0), image[4, 3]);
    }

    [Fact]
    public void ReadSize_HeaderClaimingEnormousSize_RefusesWithoutReadingPixels()
    {
        string path = files.Write("huge.png", CraftedImages.PngClaiming(1_000_000, 1_000_000));

        var error = Bounded.Throws<InvalidDataException>(() => new FileImageSource(path).ReadSize());

        Assert.Contains("1000000x1000000", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static void AssertNear(Rgb24 expected, Rgb24 actual, int tolerance)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance, $"Expected {expected} within {tolerance}, got {actual}.");
    }
}
