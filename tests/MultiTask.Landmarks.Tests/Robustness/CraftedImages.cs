using System.Buffers.Binary;
using System.Numerics;
using System.IO.Compression;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>
/// Image files that no ordinary encoder writes: CMYK JPEGs, headers that claim enormous sizes, and ordinary files
/// to cut short. All of them are built here from their format specifications, so the corpus needs no fixtures.
/// </summary>
internal static class CraftedImages
{
    /// <summary>A noisy RGB image, encoded by <paramref name="encoder"/> (noise keeps the data long enough to cut).
    /// </summary>
    public static byte[] Noise(int width, int height, IImageEncoder encoder)
    {
        using var image = new Image<Rgb24>(width, height);
        var random = new Random(11);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)random.Next(256), (byte)(x * 7), (byte)(y * 3));
                }
            }
        });
        return Encode(image, encoder);
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static byte[] Jpeg(int width, int height) => Noise(width, height, new JpegEncoder { Quality = 90 });

    public static byte[] Png(int width, int height) => Noise(width, height, new PngEncoder());

    public static byte[] Bmp(int width, int height) => Noise(width, height, new BmpEncoder());

    public static byte[] Gif(int width, int height) => Noise(width, height, new GifEncoder());

    /// <summary>A two-frame GIF: the first frame red, the second blue.</summary>
    public static byte[] AnimatedGif()
    {
        using var image = new Image<Rgba32>(8, 6, new Rgba32(255, 0, 0));
        using (var second = new Image<Rgba32>(8, 6, new Rgba32(0, 0, 255)))
        {
            image.Frames.AddFrame(second.Frames.RootFrame);
        }

        return Encode(image, new GifEncoder());
    }

    /// <summary>A JPEG whose frame header (SOF0) claims <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] JpegClaiming(int width, int height)
    {
        byte[] bytes = Jpeg(16, 16);
        int sof = FindMarker(bytes, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 7), (ushort)width);
        return bytes;
    }

    /// <summary>A GIF whose logical screen and first image descriptor claim the given size.</summary>
    public static byte[] GifClaiming(int width, int height)
    {
        byte[] bytes = Gif(8, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)height);
        return bytes;
    }

    /// <summary>A BMP whose info header claims the given size.</summary>
    public static byte[] BmpClaiming(int width, int height)
    {
        byte[] bytes = Bmp(8, 8);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        return bytes;
    }

    /// <summary>A 57-byte PNG whose IHDR claims the given size and whose image data is a few zero bytes.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        PngChunk(stream, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(new byte[64]);
            }

            PngChunk(stream, "IDAT", compressed.ToArray());
        }

        PngChunk(stream, "IEND", Array.Empty<byte>());
        return stream.ToArray();
    }

    /// <summary>
    /// An 8x8 baseline JPEG with four components and Adobe's APP14 marker with transform 0, the way Photoshop writes
    /// CMYK: every component is one flat block whose stored sample is given (Adobe stores CMYK inverted, so a stored
    /// 255 means no ink). Each block is coded as its DC coefficient alone, with a quantisation table of ones.
    /// </summary>
    public static byte[] CmykJpeg(byte c, byte m, byte y, byte k)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[] { 0xFF, 0xD8 });
        Segment(stream, 0xEE, Encoding.ASCII.GetBytes("Adobe").Concat(new byte[] { 0, 100, 0, 0, 0, 0, 0 }).ToArray());
        Segment(stream, 0xDB, new byte[] { 0 }.Concat(Enumerable.Repeat((byte)1, 64)).ToArray());
        var frame = new List<byte> { 8, 0, 8, 0, 8, 4 };
        for (byte id = 1; id <= 4; id++)
        {
            frame.AddRange(new byte[] { id, 0x11, 0 });
        }

        Segment(stream, 0xC0, frame.ToArray());

        // DC table: categories 0..11 all get 4-bit codes, so the code of category s is s itself (canonical order).
        var dcBits = new byte[16];
        dcBits[3] = 12;
        Segment(stream, 0xC4, new byte[] { 0x00 }.Concat(dcBits).Concat(Enumerable.Range(0, 12).Select(i => (byte)i))
            .ToArray());

        // AC table: end-of-block only, coded as the single bit 0.
        var acBits = new byte[16];
        acBits[0] = 1;
        Segment(stream, 0xC4, new byte[] { 0x10 }.Concat(acBits).Concat(new byte[] { 0x00 }).ToArray());
        Segment(stream, 0xDA, new byte[] { 4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0 });

        var bits = new BitWriter(stream);
        foreach (byte sample in new[] { c, m, y, k })
        {
            // A flat block's DC coefficient is 8 times its level-shifted sample (ITU T.81, A.3.3).
            int dc = 8 * (sample - 128);
            int category = dc == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)Math.Abs(dc));
            bits.Write(category, 4);
            bits.Write(dc >= 0 ? dc : dc + (1 << category) - 1, category);
            bits.Write(0, 1);
        }

        bits.Flush();
        stream.Write(new byte[] { 0xFF, 0xD9 });
        return stream.ToArray();
    }

    /// <summary>The number of components in a JPEG's SOF0 frame header.</summary>
    public static int JpegComponents(byte[] jpeg) => jpeg[FindMarker(jpeg, 0xC0) + 9];

    private static int FindMarker(byte[] bytes, byte marker)
    {
        for (int i = 2; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"No marker FF{marker:X2} in the JPEG.");
    }

    private static void Segment(Stream stream, byte marker, byte[] data)
    {
        stream.Write(new byte[] { 0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2) });
        stream.Write(data);
    }

    private static void PngChunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        byte[] typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
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

    /// <summary>Writes entropy-coded bits most significant first, stuffing a zero after every 0xFF byte.</summary>
    private sealed class BitWriter(Stream stream)
    {
        private int buffer;
        private int count;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                buffer = (buffer << 1) | ((value >> i) & 1);
                if (++count == 8)
                {
                    Emit();
                }
            }
        }

        public void Flush()
        {
            // The last byte is padded with one bits (ITU T.81, F.1.2.3).
            while (count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            stream.WriteByte((byte)buffer);
            if (buffer == 0xFF)
            {
                stream.WriteByte(0);
            }

            buffer = 0;
            count = 0;
        }
    }
}
