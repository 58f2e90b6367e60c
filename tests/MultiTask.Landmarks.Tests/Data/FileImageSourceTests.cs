using System.Buffers.Binary;
using System.IO.Compression;
using MultiTask.Landmarks.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class FileImageSourceTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Load_ValidJpeg_DecodesAtItsSize()
    {
        string path = files.WriteImage("face.jpg", 40, 30);

        using Image<Rgb24> image = new FileImageSource(path).Load();

        Assert.Equal(40, image.Width);
        Assert.Equal(30, image.Height);
    }

    [Fact]
    public void Load_GreyPng_ConvertsToRgbWithEqualChannels()
    {
        using (var grey = new Image<L8>(3, 2))
        {
            grey[0, 0] = new L8(10);
            grey[2, 1] = new L8(200);
            grey.SaveAsPng(Path.Combine(files.Root, "grey.png"));
        }

        using Image<Rgb24> image = new FileImageSource(Path.Combine(files.Root, "grey.png")).Load();

        Assert.Equal(new Rgb24(10, 10, 10), image[0, 0]);
        Assert.Equal(new Rgb24(200, 200, 200), image[2, 1]);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingThePath()
    {
        string path = Path.Combine(files.Root, "nowhere", "absent.jpg");

        var error = Assert.Throws<FileNotFoundException>(() => new FileImageSource(path).Load());

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_ThrowsInvalidDataNamingTheFile()
    {
        string path = files.Write("empty.jpg", Array.Empty<byte>());

        var error = Assert.Throws<InvalidDataException>(() => new FileImageSource(path).Load());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TextFileNamedJpg_ThrowsInvalidDataNamingTheFile()
    {
        string path = files.Write("notes.jpg", "this is a text file, not a picture\n");

        var error = Assert.Throws<InvalidDataException>(() => new FileImageSource(path).Load());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("known format", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void Load_TruncatedJpeg_ThrowsInvalidDataNamingTheFile(double kept)
    {
        byte[] whole = File.ReadAllBytes(files.WriteImage("whole.jpg", 64, 64));
        string path = files.Write("cut.jpg", whole[..(int)(whole.Length * kept)]);

        var error = Assert.Throws<InvalidDataException>(() => new FileImageSource(path).Load());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JpegCutInsideItsHeader_ThrowsInvalidDataNamingTheFile()
    {
        byte[] whole = File.ReadAllBytes(files.WriteImage("whole.jpg", 64, 64));
        string path = files.Write("header-only.jpg", whole[..120]);

        var error = Assert.Throws<InvalidDataException>(() => new FileImageSource(path).Load());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PngHeaderClaimingTenGigapixels_IsRefusedBeforeDecoding()
    {
        // A 57-byte PNG whose IHDR claims 100000x100000 RGB pixels (30 GB decoded) and whose data chunk is tiny.
        string path = files.Write("bomb.png", CraftedPng(100_000, 100_000));

        var error = Assert.Throws<InvalidDataException>(() => new FileImageSource(path).Load());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("100000x100000", error.Message, StringComparison.Ordinal);
        Assert.Contains("not decoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ImageAboveAConfiguredLimit_IsRefused()
    {
        string path = files.WriteImage("small.png", 20, 20, jpeg: false);

        var error = Assert.Throws<InvalidDataException>(
            () => new FileImageSource(path).Load(new ImageLoadOptions { MaxPixels = 399 }));

        Assert.Contains("399", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ImageAtTheLimit_Decodes()
    {
        string path = files.WriteImage("small.png", 20, 20, jpeg: false);

        using Image<Rgb24> image = new FileImageSource(path).Load(new ImageLoadOptions { MaxPixels = 400 });

        Assert.Equal(20, image.Width);
    }

    [Fact]
    public void Load_CorruptJpegBody_ThrowsInvalidDataOrDecodesAtItsSize()
    {
        byte[] bytes = File.ReadAllBytes(files.WriteImage("whole.jpg", 64, 64));
        var random = new Random(3);
        for (int i = bytes.Length / 3; i < bytes.Length - 2; i += 5)
        {
            bytes[i] = (byte)random.Next(256);
        }

        string path = files.Write("corrupt.jpg", bytes);

        // Scrambled entropy-coded data may still decode (to noise); what matters is that it neither hangs nor throws
        // anything but InvalidDataException naming the file.
        try
        {
            using Image<Rgb24> image = new FileImageSource(path).Load();
            Assert.Equal(64, image.Width);
        }
        catch (InvalidDataException error)
        {
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadSize_ValidPng_ReturnsHeaderSize()
    {
        string path = files.WriteImage("size.png", 17, 9, jpeg: false);

        Size size = new FileImageSource(path).ReadSize();

        Assert.Equal(new Size(17, 9), size);
    }

    private static byte[] CraftedPng(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        Chunk(stream, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(new byte[64]);
            }

            Chunk(stream, "IDAT", compressed.ToArray());
        }

        Chunk(stream, "IEND", Array.Empty<byte>());
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        byte[] typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
