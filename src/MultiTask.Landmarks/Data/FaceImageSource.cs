using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Data;

/// <summary>
/// Where a face image comes from: a file, or pixels already in memory (Kaggle rows, synthetic faces).
/// </summary>
public abstract class FaceImageSource
{
    /// <summary>Gets a description for messages: the file path, or the source's name and line.</summary>
    public abstract string Description { get; }

    /// <summary>Decodes the image as 8-bit RGB. The caller owns the returned image.</summary>
    /// <param name="options">Decoding limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The image.</returns>
    /// <exception cref="FileNotFoundException">A file source does not exist.</exception>
    /// <exception cref="InvalidDataException">The image is corrupt, truncated, empty or larger than allowed; the
    /// message names the file.</exception>
    public abstract Image<Rgb24> Load(ImageLoadOptions? options = null);

    /// <inheritdoc />
    public override string ToString() => Description;
}
