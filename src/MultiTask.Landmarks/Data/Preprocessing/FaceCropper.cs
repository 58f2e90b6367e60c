using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Data.Preprocessing;

/// <summary>
/// Crops a face box out of an image into the network's input: the padded box stretched to
/// <see cref="CropOptions.Width"/> x <see cref="CropOptions.Height"/>, bilinear samples (averaged over a small grid
/// when the face is large), <see cref="CropOptions.FillValue"/> outside the image, then normalised. Training (through
/// the batch loader) and inference use this same path.
/// </summary>
public sealed class FaceCropper
{
    /// <summary>Initializes a new instance of the <see cref="FaceCropper"/> class.</summary>
    /// <param name="options">The crop options; <see langword="null"/> for <see cref="CropOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public FaceCropper(CropOptions? options = null)
    {
        Options = options ?? CropOptions.Default;
        Options.Validate();
    }

    /// <summary>Gets the crop options.</summary>
    public CropOptions Options { get; }

    /// <summary>Crops a face out of an image.</summary>
    /// <param name="image">The image.</param>
    /// <param name="box">The face box in image pixels.</param>
    /// <returns>The crop and its transform.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The box has no area.</exception>
    public FaceCrop Crop(Image<Rgb24> image, FaceBox box)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Crop(RgbBytes(image), image.Width, image.Height, box);
    }

    /// <summary>Crops a face out of a pixel buffer.</summary>
    /// <param name="rgb">The image's pixels, row-major RGB24 (3 bytes a pixel).</param>
    /// <param name="width">The image's width.</param>
    /// <param name="height">The image's height.</param>
    /// <param name="box">The face box in image pixels.</param>
    /// <returns>The crop and its transform.</returns>
    /// <exception cref="ArgumentException">The buffer does not hold width x height x 3 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The box has no area.</exception>
    public FaceCrop Crop(ReadOnlySpan<byte> rgb, int width, int height, FaceBox box)
    {
        CheckBuffer(rgb, width, height);
        CropTransform transform = CropTransform.FromBox(box, Options);
        int w = Options.Width, h = Options.Height, c = Options.Channels;
        byte[] bytes = new byte[c * w * h];
        CropSampler.SampleImage(
            rgb, width, height, transform.CropPixelToImage(w, h), w, h, Options.Grayscale, Options.FillValue,
            Options.Antialias, bytes);

        float[] pixels = new float[bytes.Length];
        CropSampler.SampleCrop(bytes, w, h, c, Affine2D.Identity, w, h, Options.FillValue, 1f, 0f, Options, pixels);
        return new FaceCrop(pixels, c, w, h, transform);
    }

    internal static void CheckBuffer(ReadOnlySpan<byte> rgb, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException(
                $"Expected {width}x{height}x3 = {(long)width * height * 3} bytes of RGB24, got {rgb.Length}.",
                nameof(rgb));
        }
    }

    /// <summary>Gets the RGB24 bytes of an image: a view of its single buffer when it has one, else a copy.</summary>
    internal static ReadOnlySpan<byte> RgbBytes(Image<Rgb24> image)
    {
        if (image.DangerousTryGetSinglePixelMemory(out Memory<Rgb24> memory))
        {
            return MemoryMarshal.AsBytes(memory.Span);
        }

        byte[] copy = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(copy);
        return copy;
    }
}
