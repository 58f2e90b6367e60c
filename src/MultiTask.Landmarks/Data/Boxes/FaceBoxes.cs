namespace MultiTask.Landmarks.Data.Boxes;

/// <summary>
/// Chooses the box to crop a face from. Training, evaluation and inference all call
/// <see cref="Select(FaceSample, BoxPolicy, int, int)"/>, so that a model is never shown one crop convention in
/// training and another at test time.
/// </summary>
public static class FaceBoxes
{
    /// <summary>Returns the box to crop, by the default calibrated rule where the policy derives one.</summary>
    /// <param name="sample">The face.</param>
    /// <param name="policy">Where the box comes from.</param>
    /// <param name="imageWidth">The decoded image's width (used by <see cref="BoxPolicy.WholeImage"/>).</param>
    /// <param name="imageHeight">The decoded image's height (used by <see cref="BoxPolicy.WholeImage"/>).</param>
    /// <returns>The box in image pixels; a derived box may reach beyond the image.</returns>
    /// <exception cref="ArgumentNullException">The sample is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The policy is unknown, or the image size is not positive.
    /// </exception>
    /// <exception cref="InvalidDataException">The sample lacks what the policy needs (a listed box, or the five
    /// landmarks); the message names its file and line.</exception>
    public static FaceBox Select(FaceSample sample, BoxPolicy policy, int imageWidth, int imageHeight) =>
        Select(sample, policy, imageWidth, imageHeight, LandmarkBoxRule.Default);

    /// <summary>Returns the box to crop, deriving boxes with the given rule.</summary>
    /// <param name="sample">The face.</param>
    /// <param name="policy">Where the box comes from.</param>
    /// <param name="imageWidth">The decoded image's width (used by <see cref="BoxPolicy.WholeImage"/>).</param>
    /// <param name="imageHeight">The decoded image's height (used by <see cref="BoxPolicy.WholeImage"/>).</param>
    /// <param name="rule">The rule for <see cref="BoxPolicy.FromLandmarks"/>.</param>
    /// <returns>The box in image pixels; a derived box may reach beyond the image.</returns>
    /// <exception cref="ArgumentNullException">The sample or rule is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The policy is unknown, or the image size is not positive.
    /// </exception>
    /// <exception cref="InvalidDataException">The sample lacks what the policy needs (a listed box, or the five
    /// landmarks); the message names its file and line.</exception>
    public static FaceBox Select(
        FaceSample sample, BoxPolicy policy, int imageWidth, int imageHeight, LandmarkBoxRule rule)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        return policy switch
        {
            BoxPolicy.Listed => sample.Box ?? throw new InvalidDataException(
                $"{sample.Origin}: the sample lists no face box; use BoxPolicy.FromLandmarks or join a box list."),
            BoxPolicy.FromLandmarks => rule.Derive(sample.Landmarks, sample.Origin),
            BoxPolicy.WholeImage => new FaceBox(0, 0, imageWidth, imageHeight),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown box policy."),
        };
    }
}
