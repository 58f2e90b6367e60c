namespace MultiTask.Landmarks.Evaluation;

/// <summary>
/// The landmark and attribute metrics of a model over a set of faces. A normalised error (NME) is a point's Euclidean
/// error divided by the face's inter-ocular distance or box width; a face's error is the mean over its annotated
/// points, and the set's error the mean over faces. Landmark metrics are <see langword="null"/> when no face had an
/// annotated point, box-width metrics when no face had a box.
/// </summary>
public sealed class EvaluationResult
{
    /// <summary>Gets the number of faces with at least one annotated point.</summary>
    public int Faces { get; init; }

    /// <summary>Gets the number of those faces that had a face box.</summary>
    public int FacesWithBox { get; init; }

    /// <summary>Gets the number of faces left out of the inter-ocular metrics because their true eye centres coincide
    /// or are missing (see <see cref="LandmarkEvaluationOptions.SkipDegenerateInterOcular"/>).</summary>
    public int FacesSkippedInterOcular { get; init; }

    /// <summary>Gets the mean error as a share of the inter-ocular distance.</summary>
    public double? NmeInterOcular { get; init; }

    /// <summary>Gets the mean error as a share of the face-box width, or <see langword="null"/> without boxes.
    /// </summary>
    public double? NmeBoxWidth { get; init; }

    /// <summary>Gets the share of faces whose inter-ocular NME exceeds
    /// <see cref="LandmarkEvaluationOptions.InterOcularFailureThreshold"/>.</summary>
    public double? FailureRateInterOcular { get; init; }

    /// <summary>Gets the share of faces whose box-width NME exceeds
    /// <see cref="LandmarkEvaluationOptions.BoxWidthFailureThreshold"/>, or <see langword="null"/> without boxes.
    /// </summary>
    public double? FailureRateBoxWidth { get; init; }

    /// <summary>Gets the area under the inter-ocular cumulative error distribution (see
    /// <see cref="CumulativeErrorDistribution.Auc"/>).</summary>
    public double? Auc => CedInterOcular?.Auc;

    /// <summary>Gets the cumulative distribution of the faces' inter-ocular NME.</summary>
    public CumulativeErrorDistribution? CedInterOcular { get; init; }

    /// <summary>Gets the cumulative distribution of the faces' box-width NME, or <see langword="null"/> without boxes.
    /// </summary>
    public CumulativeErrorDistribution? CedBoxWidth { get; init; }

    /// <summary>Gets the metrics of each point, in schema order.</summary>
    public IReadOnlyList<PointMetrics> PerPoint { get; init; } = Array.Empty<PointMetrics>();

    /// <summary>Gets the root mean square error in pixels over every annotated coordinate (x and y each count once),
    /// the Kaggle Facial Keypoints score.</summary>
    public double? RmsePixels { get; init; }

    /// <summary>Gets the metrics of each attribute, by name.</summary>
    public IReadOnlyDictionary<string, AttributeMetrics> Attributes { get; init; } =
        new Dictionary<string, AttributeMetrics>();
}
