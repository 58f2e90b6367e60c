namespace MultiTask.Landmarks.Data.Preprocessing;

/// <summary>
/// How a face box becomes a network input: its size, the padding around the box, the colour mode and the
/// normalisation. Training and inference must use equal options; the crop path is the same for both.
/// </summary>
public sealed class CropOptions
{
    /// <summary>Gets the defaults: a 40x40 grey crop of the box with 10 % padding, as in TCDCN's 40x40 input.</summary>
    public static CropOptions Default { get; } = new();

    /// <summary>Gets or sets the crop's width in pixels.</summary>
    /// <value>The default is 40.</value>
    public int Width { get; init; } = 40;

    /// <summary>Gets or sets the crop's height in pixels.</summary>
    /// <value>The default is 40.</value>
    public int Height { get; init; } = 40;

    /// <summary>Gets or sets the padding added on every side of the box, as a fraction of the box's width (left and
    /// right) and height (top and bottom). The padded box is stretched to the crop, so a non-square box changes the
    /// aspect ratio; the <see cref="CropTransform"/> records that exactly.</summary>
    /// <value>The default is 0.1.</value>
    public float Padding { get; init; } = 0.1f;

    /// <summary>Gets or sets a value indicating whether the crop has one grey channel (ITU-R BT.601 luma) rather than
    /// three RGB channels.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Grayscale { get; init; } = true;

    /// <summary>Gets or sets the mean subtracted from every channel, on intensities scaled to 0..1.</summary>
    /// <value>The default is 0.5.</value>
    public float Mean { get; init; } = 0.5f;

    /// <summary>Gets or sets the standard deviation every channel is divided by after subtracting
    /// <see cref="Mean"/>.</summary>
    /// <value>The default is 0.5, so that intensities 0..1 become -1..1.</value>
    public float Std { get; init; } = 0.5f;

    /// <summary>Gets or sets the 8-bit intensity (in every channel) of crop pixels that fall outside the image, before
    /// normalisation.</summary>
    /// <value>The default is 0 (black), as a zero-padded warp.</value>
    public byte FillValue { get; init; }

    /// <summary>Gets or sets a value indicating whether a crop pixel that covers several image pixels averages a grid
    /// of bilinear samples (up to 4x4) instead of taking one, which keeps large faces from aliasing.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Antialias { get; init; } = true;

    /// <summary>Gets the number of channels: 1 for grey, 3 for RGB.</summary>
    public int Channels => Grayscale ? 1 : 3;

    /// <summary>Checks that the options are usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the padding is not above -0.5, or the
    /// standard deviation is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height, nameof(Height));
        if (!(Padding > -0.5f) || !float.IsFinite(Padding))
        {
            throw new ArgumentOutOfRangeException(nameof(Padding), Padding, "Padding must be finite and above -0.5.");
        }

        if (!(Std > 0) || !float.IsFinite(Std) || !float.IsFinite(Mean))
        {
            throw new ArgumentOutOfRangeException(nameof(Std), Std, "Std must be positive and Mean finite.");
        }
    }
}
