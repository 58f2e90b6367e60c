using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace MultiTask.Landmarks.Data;

/// <summary>
/// Finds truncated image files before they are decoded. ImageSharp fills what is missing from a cut JPEG, PNG, GIF
/// or BMP with grey or black instead of failing, so a truncated file would otherwise train a model on a half-blank
/// face without anyone noticing. Each check looks for what the format's specification puts at the end of the data.
/// </summary>
internal static class ImageFileChecks
{
    // JPEG markers: start of scan and end of image (ITU T.81, table B.1).
    private static readonly byte[] StartOfScan = { 0xFF, 0xDA };
    private static readonly byte[] EndOfImage = { 0xFF, 0xD9 };

    // PNG chunk types (PNG specification, 11.2): the last image data chunk must be followed by IEND.
    private static readonly byte[] PngData = "IDAT"u8.ToArray();
    private static readonly byte[] PngEnd = "IEND"u8.ToArray();

    // The GIF trailer byte that ends every GIF file (GIF89a, section 27).
    private const byte GifTrailer = 0x3B;

    /// <summary>Says why a file is truncated, or returns <see langword="null"/> when its end is intact (or its
    /// format has no check here).</summary>
    public static string? FindTruncation(ReadOnlySpan<byte> bytes, IImageFormat format) => format switch
    {
        // Entropy-coded data stuffs every 0xFF, so the end-of-image marker cannot occur inside a scan.
        JpegFormat when !HasEndAfterLast(bytes, StartOfScan, EndOfImage) =>
            "the JPEG data is truncated (no end-of-image marker after the last scan).",
        PngFormat when !HasEndAfterLast(bytes, PngData, PngEnd) =>
            "the PNG data is truncated (no IEND chunk after the last IDAT chunk).",
        GifFormat when !EndsWithTrailer(bytes) =>
            "the GIF data is truncated (it does not end with the GIF trailer).",
        BmpFormat when BmpDeclaredSize(bytes) > bytes.Length =>
            $"the BMP data is truncated: the header declares {BmpDeclaredSize(bytes)} bytes but the file has "
            + $"{bytes.Length}.",
        _ => null,
    };

    private static bool HasEndAfterLast(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> last, ReadOnlySpan<byte> end)
    {
        int start = bytes.LastIndexOf(last);
        return start >= 0 && bytes[(start + last.Length)..].IndexOf(end) >= 0;
    }

    // Zero bytes after the trailer are padding that some writers add.
    private static bool EndsWithTrailer(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> content = bytes.TrimEnd((byte)0);
        return content.Length > 0 && content[^1] == GifTrailer;
    }

    // The file size of the BITMAPFILEHEADER (bytes 2..5, little-endian); some writers leave it 0.
    private static long BmpDeclaredSize(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 6 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[2..6]) : 0;
}
