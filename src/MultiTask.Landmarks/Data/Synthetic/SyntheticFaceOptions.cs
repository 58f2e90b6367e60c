namespace MultiTask.Landmarks.Data.Synthetic;

/// <summary>Options of the <see cref="SyntheticFaceGenerator"/>.</summary>
public sealed class SyntheticFaceOptions
{
    /// <summary>Gets the defaults: 64x64 colour faces, seed 0.</summary>
    public static SyntheticFaceOptions Default { get; } = new();

    /// <summary>Gets or sets the width and height of every image, in pixels (32..1024).</summary>
    /// <value>The default is 64.</value>
    public int ImageSize { get; init; } = 64;

    /// <summary>Gets or sets a value indicating whether the images are grey (stored as RGB with equal channels).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Grayscale { get; init; }

    /// <summary>Gets or sets the seed; face <c>i</c> depends only on it and <c>i</c>.</summary>
    /// <value>The default is 0.</value>
    public int Seed { get; init; }

    /// <summary>Gets or sets the standard deviation of the Gaussian pixel noise, in 8-bit levels (0..64).</summary>
    /// <value>The default is 6.</value>
    public double NoiseLevel { get; init; } = 6;

    /// <summary>Gets or sets the largest in-plane rotation of a face, in degrees either way (0..45).</summary>
    /// <value>The default is 10.</value>
    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>Gets or sets the smallest face width as a fraction of the image (0.2..0.7).</summary>
    /// <value>The default is 0.4.</value>
    public double MinFaceSize { get; init; } = 0.4;

    /// <summary>Gets or sets the largest face width as a fraction of the image (0.2..0.7, at least
    /// <see cref="MinFaceSize"/>).</summary>
    /// <value>The default is 0.6.</value>
    public double MaxFaceSize { get; init; } = 0.6;

    /// <summary>Checks that the options are usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value lies outside its documented range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ImageSize, 32, nameof(ImageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ImageSize, 1024, nameof(ImageSize));
        Check(NoiseLevel, 0, 64, nameof(NoiseLevel));
        Check(MaxRotationDegrees, 0, 45, nameof(MaxRotationDegrees));
        Check(MinFaceSize, 0.2, 0.7, nameof(MinFaceSize));
        Check(MaxFaceSize, MinFaceSize, 0.7, nameof(MaxFaceSize));
    }

    private static void Check(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in {min}..{max}.");
        }
    }
}
