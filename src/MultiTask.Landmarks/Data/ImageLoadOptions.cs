namespace MultiTask.Landmarks.Data;

/// <summary>Limits that keep a crafted or broken image from exhausting memory.</summary>
public sealed class ImageLoadOptions
{
    /// <summary>Gets the defaults.</summary>
    public static ImageLoadOptions Default { get; } = new();

    /// <summary>Gets or sets the largest number of pixels (width times height) an image header may claim; larger
    /// images are refused before they are decoded.</summary>
    /// <value>The default is 50 million pixels.</value>
    public long MaxPixels { get; init; } = 50_000_000;
}
