namespace MultiTask.Landmarks.Data.Boxes;

/// <summary>
/// Derives a square face box from five landmarks (eye centres, nose tip, mouth corners), with constants calibrated so
/// that on average the box has the centre and size of the face detector's boxes in CNN_FacePoint's
/// <c>trainImageList.txt</c>. A model trained on detector boxes then sees the same framing on derived boxes.
/// </summary>
/// <remarks>
/// With c the centroid of the five points, s their root mean square distance from c, and u the nose's horizontal
/// offset from the mean of the other four points divided by s (a yaw cue), the box is the square of side
/// <see cref="Scale"/>·s centred at
/// (c.x + (<see cref="CenterOffsetX"/> + <see cref="YawShift"/>·u)·s, c.y + <see cref="CenterOffsetY"/>·s).
/// Every term is measured in units of s, so the rule does not depend on the image's size. It is symmetric under
/// swapping left and right, so the naming convention of the eyes does not matter. docs/data.md gives the
/// calibration's residual spread.
/// </remarks>
public sealed record LandmarkBoxRule
{
    /// <summary>Gets the rule calibrated on the 10,000 detector boxes of CNN_FacePoint's trainImageList.txt
    /// (see docs/data.md; pinned by a test that recomputes it on the real data).</summary>
    public static LandmarkBoxRule Default { get; } = new()
    {
        CenterOffsetX = -0.0262f,
        YawShift = -0.5764f,
        CenterOffsetY = -0.0524f,
        Scale = 3.2671f,
    };

    /// <summary>Gets the horizontal offset of the box centre from the points' centroid, in units of the spread s,
    /// for a face whose nose is centred (u = 0).</summary>
    /// <value>Required; <see cref="Default"/> holds the calibrated value.</value>
    public float CenterOffsetX { get; init; }

    /// <summary>Gets how far the box centre moves against the nose's sideways offset u, in units of s per unit of u:
    /// a turned head's box stays on the skull while the points swing towards the turn.</summary>
    /// <value>Required; <see cref="Default"/> holds the calibrated value.</value>
    public float YawShift { get; init; }

    /// <summary>Gets the vertical offset of the box centre from the points' centroid, in units of s (negative: the
    /// detector box centre lies above the centroid, since the box includes the forehead).</summary>
    /// <value>Required; <see cref="Default"/> holds the calibrated value.</value>
    public float CenterOffsetY { get; init; }

    /// <summary>Gets the box side in units of s.</summary>
    /// <value>Required and positive; <see cref="Default"/> holds the calibrated value.</value>
    public float Scale { get; init; }

    /// <summary>Derives the box of a face from its landmarks.</summary>
    /// <param name="landmarks">5 (<see cref="LandmarkSchema.Mtfl5"/>), 15 (<see cref="LandmarkSchema.Kaggle15"/>) or
    /// 68 (<see cref="LandmarkSchema.Ibug68"/>) points in image pixels.</param>
    /// <param name="origin">The sample's file and line, for the error message.</param>
    /// <returns>The square box in image pixels; it may reach beyond the image.</returns>
    /// <exception cref="ArgumentNullException">The landmarks are null.</exception>
    /// <exception cref="InvalidDataException">Another number of points, a needed point is missing, or the points
    /// coincide; the message names the origin.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Scale"/> is not positive.</exception>
    public FaceBox Derive(IReadOnlyList<Landmark> landmarks, SampleOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        if (!(Scale > 0))
        {
            throw new InvalidOperationException($"LandmarkBoxRule.Scale must be positive, not {Scale}.");
        }

        var five = FivePoints.From(landmarks, origin);
        float spread = five.Spread;
        if (!(spread > 1e-3f) || !float.IsFinite(spread))
        {
            throw new InvalidDataException($"{origin}: the five landmarks coincide, so they give no face size.");
        }

        float side = Scale * spread;
        float centerX = five.MeanX + ((CenterOffsetX + (YawShift * five.NoseShift)) * spread);
        float centerY = five.MeanY + (CenterOffsetY * spread);
        return new FaceBox(centerX - (side / 2), centerY - (side / 2), side, side);
    }
}
