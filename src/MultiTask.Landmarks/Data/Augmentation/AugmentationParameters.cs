using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Data.Augmentation;

/// <summary>One draw of the augmentations for one face. <see cref="Identity"/> changes nothing.</summary>
/// <param name="Flip">Whether the face is mirrored horizontally.</param>
/// <param name="RotationRadians">The rotation about the crop's centre (positive turns clockwise on screen).</param>
/// <param name="Scale">The isotropic scale about the crop's centre (above 1 enlarges the face).</param>
/// <param name="TranslationX">The horizontal shift, as a fraction of the crop's width.</param>
/// <param name="TranslationY">The vertical shift, as a fraction of the crop's height.</param>
/// <param name="BoxShiftX">The box jitter's horizontal shift of the box, as a fraction of the crop's width.</param>
/// <param name="BoxShiftY">The box jitter's vertical shift of the box, as a fraction of the crop's height.</param>
/// <param name="BoxScaleX">The box jitter's factor on the box's width.</param>
/// <param name="BoxScaleY">The box jitter's factor on the box's height.</param>
/// <param name="Brightness">The shift added to intensities on the 0..1 scale.</param>
/// <param name="Contrast">The contrast factor about mid-grey.</param>
public readonly record struct AugmentationParameters(
    bool Flip,
    double RotationRadians,
    double Scale,
    double TranslationX,
    double TranslationY,
    double BoxShiftX,
    double BoxShiftY,
    double BoxScaleX,
    double BoxScaleY,
    float Brightness,
    float Contrast)
{
    /// <summary>Gets parameters that change nothing.</summary>
    public static AugmentationParameters Identity => new(false, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1);

    /// <summary>Gets the geometric part as one affine map of the crop's normalised frame, from the unaugmented crop to
    /// the augmented one. Landmarks move by this map; the image is sampled through its inverse, so both move together
    /// exactly. It works in crop pixels, so that rotation stays a rotation on a crop that is not square.</summary>
    /// <param name="width">The crop's width in pixels.</param>
    /// <param name="height">The crop's height in pixels.</param>
    /// <returns>The map, in the normalised frame.</returns>
    public Affine2D Geometry(int width, int height)
    {
        double cx = width / 2.0, cy = height / 2.0;

        // A jittered box is a crop of a shifted, resized box: the face moves opposite to the box and scales inversely.
        Affine2D map = Affine2D.Scaling(width, height)
            .Then(Affine2D.Translation(-cx - (BoxShiftX * width), -cy - (BoxShiftY * height)))
            .Then(Affine2D.Scaling(1 / BoxScaleX, 1 / BoxScaleY));
        if (Flip)
        {
            map = map.Then(Affine2D.Scaling(-1, 1));
        }

        return map
            .Then(Affine2D.Scaling(Scale, Scale))
            .Then(Affine2D.Rotation(RotationRadians))
            .Then(Affine2D.Translation(cx + (TranslationX * width), cy + (TranslationY * height)))
            .Then(Affine2D.Scaling(1.0 / width, 1.0 / height));
    }
}
