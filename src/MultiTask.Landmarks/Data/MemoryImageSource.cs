using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Data;

/// <summary>An image already in memory (a Kaggle row, a synthetic face). It keeps its own copy of the pixels.</summary>
public sealed class MemoryImageSource : FaceImageSource
{
    private readonly Image<Rgb24> image;

    /// <summary>Initializes a new instance of the <see cref="MemoryImageSource"/> class with a copy of
    /// <paramref name="image"/>.</summary>
    /// <param name="image">The pixels.</param>
    /// <param name="description">A name for messages, such as <c>training.csv:12</c>.</param>
    public MemoryImageSource(Image<Rgb24> image, string description)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        this.image = image.Clone();
        Description = description;
    }

    /// <summary>Creates a source from 8-bit grey pixels in row-major order.</summary>
    /// <param name="pixels">The pixels; <paramref name="width"/> times <paramref name="height"/> of them.</param>
    /// <param name="width">The width.</param>
    /// <param name="height">The height.</param>
    /// <param name="description">A name for messages.</param>
    /// <returns>The source.</returns>
    public static MemoryImageSource FromGrey(ReadOnlySpan<byte> pixels, int width, int height, string description)
    {
        if (pixels.Length != width * height)
        {
            throw new ArgumentException(
                $"{description}: expected {width * height} pixels, got {pixels.Length}.", nameof(pixels));
        }

        using var grey = Image.LoadPixelData<L8>(pixels, width, height);
        using Image<Rgb24> rgb = grey.CloneAs<Rgb24>();
        return new MemoryImageSource(rgb, description);
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <summary>Gets the width.</summary>
    public int Width => image.Width;

    /// <summary>Gets the height.</summary>
    public int Height => image.Height;

    /// <inheritdoc />
    public override Image<Rgb24> Load(ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        if ((long)image.Width * image.Height > options.MaxPixels)
        {
            throw new InvalidDataException(
                $"{Description}: {image.Width}x{image.Height} exceeds the limit of {options.MaxPixels} pixels.");
        }

        return image.Clone();
    }
}
