using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Data;

/// <summary>
/// An image file on disk. Every failure names the file: a missing file raises <see cref="FileNotFoundException"/>, and
/// an empty, truncated, corrupt, unknown or oversized image raises <see cref="InvalidDataException"/>. The header is
/// read first, so an image that claims more pixels than allowed is refused before any pixel is decoded.
/// </summary>
public sealed class FileImageSource : FaceImageSource
{
    /// <summary>Initializes a new instance of the <see cref="FileImageSource"/> class.</summary>
    /// <param name="path">The image file's path.</param>
    /// <exception cref="ArgumentException">The path is null, empty or white space.</exception>
    public FileImageSource(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    /// <summary>Gets the image file's path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Description => Path;

    /// <summary>Reads the image's size from its header without decoding the pixels.</summary>
    /// <param name="options">Decoding limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The width and height the header claims.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, of an unknown format, has a corrupt header, or
    /// claims more pixels than <see cref="ImageLoadOptions.MaxPixels"/>; the message names the file.</exception>
    public Size ReadSize(ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        using FileStream stream = Open();
        IImageInfo info = Identify(stream, options, out _);
        return new Size(info.Width, info.Height);
    }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, of an unknown format, truncated, corrupt, or claims
    /// more pixels than <see cref="ImageLoadOptions.MaxPixels"/>; the message names the file.</exception>
    public override Image<Rgb24> Load(ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        using FileStream stream = Open();

        IImageInfo info = Identify(stream, options, out IImageFormat format);

        // The header was within limits, so the file is worth reading whole; decoding from memory avoids a second
        // pass over the file and ImageSharp's small-buffer stream reads.
        if (stream.Length > Array.MaxLength)
        {
            throw Invalid($"the file is {stream.Length} bytes long, more than can be decoded.");
        }

        byte[] bytes = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(bytes);

        // ImageSharp fills the missing part of a truncated JPEG, PNG, GIF or BMP instead of failing.
        string? truncation = ImageFileChecks.FindTruncation(bytes, format);
        if (truncation is not null)
        {
            throw Invalid(truncation);
        }

        try
        {
            Image<Rgb24> image = Image.Load<Rgb24>(bytes);
            if (image.Width != info.Width || image.Height != info.Height)
            {
                image.Dispose();
                throw Invalid($"the header claims {info.Width}x{info.Height} but the data decodes to another size.");
            }

            return image;
        }
        catch (Exception exception) when (IsDecodeFailure(exception))
        {
            throw Invalid($"the image cannot be decoded: {exception.Message}", exception);
        }
    }

    private FileStream Open()
    {
        try
        {
            return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Image file not found: {Path}", Path, exception);
        }
        catch (UnauthorizedAccessException exception) when (Directory.Exists(Path))
        {
            // Linux reports opening a folder as an access problem; the annotation named a folder, not an image.
            throw Invalid("the path is a folder, not an image file.", exception);
        }
    }

    private IImageInfo Identify(FileStream stream, ImageLoadOptions options, out IImageFormat format)
    {
        if (stream.Length == 0)
        {
            throw Invalid("the file is empty.");
        }

        IImageInfo? info;
        try
        {
            info = Image.Identify(stream, out format);
        }
        catch (Exception exception) when (IsDecodeFailure(exception))
        {
            throw Invalid($"the image header cannot be read: {exception.Message}", exception);
        }

        if (info is null || format is null)
        {
            throw Invalid("the file is not an image in a known format (JPEG, PNG, BMP, GIF, TIFF, TGA, PBM, WebP).");
        }

        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw Invalid($"the header claims an empty image ({info.Width}x{info.Height}).");
        }

        if (pixels > options.MaxPixels)
        {
            throw Invalid($"the header claims {info.Width}x{info.Height} = {pixels} pixels, more than the limit of "
                + $"{options.MaxPixels} (ImageLoadOptions.MaxPixels); it was not decoded.");
        }

        return info;
    }

    // Decoders report bad content with their own exception types, and a few corrupt inputs still reach argument or
    // index checks inside them (the BMP decoder raises InvalidOperationException for a header above 65535x65535),
    // or trip over their own state: CsCheck found damaged JPEG headers that make ImageSharp 2.1's Identify throw
    // NullReferenceException. Inside a decoder all of these mean "this file is not a valid image", never a bug in
    // the caller, so the file is named and the sample can be skipped.
    private static bool IsDecodeFailure(Exception exception) => exception
        is ImageFormatException
        or InvalidMemoryOperationException
        or InvalidOperationException
        or NotSupportedException
        or ArgumentException
        or IndexOutOfRangeException
        or NullReferenceException
        or ArithmeticException
        or EndOfStreamException;

    private InvalidDataException Invalid(string what, Exception? inner = null) =>
        new($"Image file {Path}: {what}", inner);
}
