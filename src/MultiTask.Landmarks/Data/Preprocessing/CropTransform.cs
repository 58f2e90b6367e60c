namespace MultiTask.Landmarks.Data.Preprocessing;

/// <summary>
/// The affine map between image pixels and a crop's normalised frame, and back. Image coordinates are 0-based pixels
/// with pixel centres on integers (the landmark convention). In the normalised frame (0, 0) is the crop's top-left
/// corner and (1, 1) its bottom-right corner, x right and y down, so crop pixel <c>j</c> of a crop <c>W</c> wide has
/// its centre at <c>(j + 0.5) / W</c>. Network targets and predictions live in this frame.
/// </summary>
public sealed class CropTransform
{
    /// <summary>Initializes a new instance of the <see cref="CropTransform"/> class.</summary>
    /// <param name="imageToCrop">The map from image pixels to the normalised frame.</param>
    /// <exception cref="InvalidOperationException">The map is singular.</exception>
    public CropTransform(Affine2D imageToCrop)
    {
        ImageToCrop = imageToCrop;
        CropToImage = imageToCrop.Invert();
    }

    /// <summary>Gets the map from image pixels to the normalised frame.</summary>
    public Affine2D ImageToCrop { get; }

    /// <summary>Gets the map from the normalised frame to image pixels.</summary>
    public Affine2D CropToImage { get; }

    /// <summary>Creates the transform of an axis-aligned crop of a box grown by <paramref name="padding"/> on every
    /// side (a fraction of the box's width left and right, of its height top and bottom).</summary>
    /// <param name="box">The face box in image pixels.</param>
    /// <param name="padding">The padding fraction; above -0.5.</param>
    /// <returns>The transform.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The box has no area or is not finite, or the padding is not
    /// above -0.5.</exception>
    public static CropTransform FromBox(FaceBox box, float padding)
    {
        if (!(box.Width > 0) || !(box.Height > 0) || !float.IsFinite(box.X) || !float.IsFinite(box.Y)
            || !float.IsFinite(box.Width) || !float.IsFinite(box.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(box), box, "The box must be finite with a positive size.");
        }

        if (!(padding > -0.5f) || !float.IsFinite(padding))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be finite and above -0.5.");
        }

        double width = box.Width * (1 + (2.0 * padding));
        double height = box.Height * (1 + (2.0 * padding));
        double left = box.X - (box.Width * (double)padding);
        double top = box.Y - (box.Height * (double)padding);
        return new CropTransform(new Affine2D(1 / width, 0, 0, 1 / height, -left / width, -top / height));
    }

    /// <summary>Creates the transform of <paramref name="box"/> as <paramref name="options"/> crop it.</summary>
    /// <param name="box">The face box in image pixels.</param>
    /// <param name="options">The crop options (their padding is used).</param>
    /// <returns>The transform.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The box has no area or the padding is invalid.</exception>
    public static CropTransform FromBox(FaceBox box, CropOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FromBox(box, options.Padding);
    }

    /// <summary>Maps an image point to the normalised frame.</summary>
    /// <param name="x">The horizontal image coordinate.</param>
    /// <param name="y">The vertical image coordinate.</param>
    /// <returns>The point in the normalised frame.</returns>
    public (double X, double Y) ToCrop(double x, double y) => ImageToCrop.Apply(x, y);

    /// <summary>Maps a point of the normalised frame to image pixels.</summary>
    /// <param name="x">The horizontal coordinate in the normalised frame.</param>
    /// <param name="y">The vertical coordinate in the normalised frame.</param>
    /// <returns>The point in image pixels.</returns>
    public (double X, double Y) ToImage(double x, double y) => CropToImage.Apply(x, y);

    /// <summary>Maps a landmark in image pixels to the normalised frame; a missing landmark stays missing.</summary>
    /// <param name="landmark">The landmark.</param>
    /// <returns>The mapped landmark.</returns>
    public Landmark ToCrop(Landmark landmark)
    {
        if (landmark.IsMissing)
        {
            return Landmark.Missing;
        }

        (double x, double y) = ImageToCrop.Apply(landmark.X, landmark.Y);
        return new Landmark((float)x, (float)y);
    }

    /// <summary>Maps a landmark in the normalised frame (a prediction) to image pixels; a missing landmark stays
    /// missing.</summary>
    /// <param name="landmark">The landmark.</param>
    /// <returns>The mapped landmark.</returns>
    public Landmark ToImage(Landmark landmark)
    {
        if (landmark.IsMissing)
        {
            return Landmark.Missing;
        }

        (double x, double y) = CropToImage.Apply(landmark.X, landmark.Y);
        return new Landmark((float)x, (float)y);
    }

    /// <summary>Gets the map from pixel coordinates of a <paramref name="width"/> x <paramref name="height"/> crop
    /// (centres on integers) to image pixels: the grid the crop samples.</summary>
    /// <param name="width">The crop's width.</param>
    /// <param name="height">The crop's height.</param>
    /// <returns>The map.</returns>
    internal Affine2D CropPixelToImage(int width, int height) =>
        PixelToNormalised(width, height).Then(CropToImage);

    /// <summary>Gets the map from crop pixel coordinates (centres on integers) to the normalised frame.</summary>
    internal static Affine2D PixelToNormalised(int width, int height) =>
        new(1.0 / width, 0, 0, 1.0 / height, 0.5 / width, 0.5 / height);

    /// <summary>Gets the map from the normalised frame to crop pixel coordinates (centres on integers).</summary>
    internal static Affine2D NormalisedToPixel(int width, int height) =>
        new(width, 0, 0, height, -0.5, -0.5);
}
