namespace MultiTask.Landmarks.Data.Preprocessing;

/// <summary>A preprocessed face: normalised float pixels in channel-major order and the map back to the image.
/// </summary>
public sealed class FaceCrop
{
    /// <summary>Initializes a new instance of the <see cref="FaceCrop"/> class.</summary>
    /// <param name="pixels">The pixels, [C, H, W], normalised.</param>
    /// <param name="channels">The number of channels.</param>
    /// <param name="width">The width.</param>
    /// <param name="height">The height.</param>
    /// <param name="transform">The map between image pixels and the crop's normalised frame.</param>
    /// <exception cref="ArgumentException">The pixel count is not channels x height x width.</exception>
    public FaceCrop(float[] pixels, int channels, int width, int height, CropTransform transform)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(transform);
        if (pixels.Length != channels * width * height)
        {
            throw new ArgumentException(
                $"Expected {channels}x{height}x{width} = {channels * width * height} pixels, got {pixels.Length}.",
                nameof(pixels));
        }

        Pixels = pixels;
        Channels = channels;
        Width = width;
        Height = height;
        Transform = transform;
    }

    /// <summary>Gets the pixels, [C, H, W], normalised as the crop options say.</summary>
    public float[] Pixels { get; }

    /// <summary>Gets the number of channels.</summary>
    public int Channels { get; }

    /// <summary>Gets the width.</summary>
    public int Width { get; }

    /// <summary>Gets the height.</summary>
    public int Height { get; }

    /// <summary>Gets the map between image pixels and the crop's normalised frame; use it to map predicted points
    /// back to the image.</summary>
    public CropTransform Transform { get; }
}
