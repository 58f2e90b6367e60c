namespace MultiTask.Landmarks.Data;

/// <summary>
/// One annotated face: where its image comes from, an optional face box, the landmarks (each possibly missing) and the
/// attribute labels (each possibly unknown). Samples carry no tensors; a loader turns them into batches.
/// </summary>
public sealed class FaceSample
{
    /// <summary>Initializes a new instance of the <see cref="FaceSample"/> class.</summary>
    /// <param name="image">Where the image comes from.</param>
    /// <param name="landmarks">The landmarks in image pixels, in the order of the dataset's schema.</param>
    /// <param name="box">The face box, or <see langword="null"/> when the dataset gives none.</param>
    /// <param name="attributes">The attribute labels, or <see langword="null"/> when none are annotated.</param>
    /// <param name="origin">The annotation file and line, for error messages.</param>
    public FaceSample(
        FaceImageSource image,
        IReadOnlyList<Landmark> landmarks,
        FaceBox? box = null,
        FaceAttributes? attributes = null,
        SampleOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        Image = image;
        Landmarks = landmarks;
        Box = box;
        Attributes = attributes ?? FaceAttributes.None;
        Origin = origin ?? new SampleOrigin(image.Description, 0);
    }

    /// <summary>Gets where the image comes from.</summary>
    public FaceImageSource Image { get; }

    /// <summary>Gets the landmarks in image pixels.</summary>
    public IReadOnlyList<Landmark> Landmarks { get; }

    /// <summary>Gets the face box, or <see langword="null"/>.</summary>
    public FaceBox? Box { get; }

    /// <summary>Gets the attribute labels (each possibly <see cref="FaceAttributes.Unknown"/>).</summary>
    public FaceAttributes Attributes { get; }

    /// <summary>Gets the annotation file and line this sample was read from.</summary>
    public SampleOrigin Origin { get; }

    /// <summary>Returns a copy with another box.</summary>
    /// <param name="box">The new box.</param>
    /// <returns>The copy.</returns>
    public FaceSample WithBox(FaceBox? box) => new(Image, Landmarks, box, Attributes, Origin);
}
