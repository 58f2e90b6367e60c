namespace MultiTask.Landmarks.Data.Augmentation;

/// <summary>
/// The ranges of the random training augmentations. Every value is drawn uniformly from its range; a range of zero
/// turns that augmentation off. Geometric ones are measured in the crop's frame, so they do not depend on the size of
/// the face in the image.
/// </summary>
public sealed class AugmentationOptions
{
    /// <summary>Gets the defaults: modest ranges for 5-point faces (flip, 15 degrees, 10 % scale, 5 % shift).</summary>
    public static AugmentationOptions Default { get; } = new();

    /// <summary>Gets options that change nothing.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        FlipProbability = 0, MaxRotationDegrees = 0, MaxScaleChange = 0, MaxTranslation = 0, BoxJitter = 0,
        MaxBrightness = 0, MaxContrastChange = 0,
    };

    /// <summary>Gets or sets the probability of a horizontal flip (which also swaps the schema's mirror pairs and
    /// mirrors the pose label).</summary>
    /// <value>The default is 0.5.</value>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Gets or sets the largest rotation about the crop's centre, in degrees either way (0..180).</summary>
    /// <value>The default is 15.</value>
    public double MaxRotationDegrees { get; init; } = 15;

    /// <summary>Gets or sets the largest relative change of scale about the crop's centre (0..0.9): the factor is drawn
    /// from 1 - value .. 1 + value.</summary>
    /// <value>The default is 0.1.</value>
    public double MaxScaleChange { get; init; } = 0.1;

    /// <summary>Gets or sets the largest shift of the face, as a fraction of the crop's width (horizontally) and
    /// height (vertically), either way (0..0.5).</summary>
    /// <value>The default is 0.05.</value>
    public double MaxTranslation { get; init; } = 0.05;

    /// <summary>Gets or sets how much the face box is jittered, as a detector's box would be (0..0.5): each axis of its
    /// centre moves by up to this fraction of the crop, and each side length changes independently by up to this
    /// fraction (so the aspect ratio changes too).</summary>
    /// <value>The default is 0.05.</value>
    public double BoxJitter { get; init; } = 0.05;

    /// <summary>Gets or sets the largest shift of intensities (on the 0..1 scale), either way (0..1).</summary>
    /// <value>The default is 0.1.</value>
    public double MaxBrightness { get; init; } = 0.1;

    /// <summary>Gets or sets the largest relative change of contrast about mid-grey (0..0.9): the factor is drawn from
    /// 1 - value .. 1 + value.</summary>
    /// <value>The default is 0.2.</value>
    public double MaxContrastChange { get; init; } = 0.2;

    /// <summary>Checks that every range is usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value lies outside its documented range.</exception>
    public void Validate()
    {
        Check(FlipProbability, 1, nameof(FlipProbability));
        Check(MaxRotationDegrees, 180, nameof(MaxRotationDegrees));
        Check(MaxScaleChange, 0.9, nameof(MaxScaleChange));
        Check(MaxTranslation, 0.5, nameof(MaxTranslation));
        Check(BoxJitter, 0.5, nameof(BoxJitter));
        Check(MaxBrightness, 1, nameof(MaxBrightness));
        Check(MaxContrastChange, 0.9, nameof(MaxContrastChange));
    }

    private static void Check(double value, double max, string name)
    {
        if (!(value >= 0 && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in 0..{max}.");
        }
    }
}
