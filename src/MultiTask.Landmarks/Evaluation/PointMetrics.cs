namespace MultiTask.Landmarks.Evaluation;

/// <summary>The errors of one landmark point over the faces where it is annotated.</summary>
/// <param name="Index">The point's index in the schema.</param>
/// <param name="Name">The point's name, or <c>point_{Index}</c> without a schema.</param>
/// <param name="Faces">The number of faces where the point is annotated.</param>
/// <param name="NmeInterOcular">The mean error as a share of the inter-ocular distance, or <see langword="null"/>
/// when no face counted.</param>
/// <param name="NmeBoxWidth">The mean error as a share of the face-box width, or <see langword="null"/> without
/// boxes.</param>
/// <param name="FailureRateInterOcular">The share of faces whose error for this point exceeds the inter-ocular failure
/// threshold, or <see langword="null"/> when no face counted.</param>
/// <param name="FailureRateBoxWidth">The share of faces whose error for this point exceeds
/// <see cref="LandmarkEvaluationOptions.PointFailureThreshold"/> of the box width (CNN_FacePoint's failure), or
/// <see langword="null"/> without boxes.</param>
public sealed record PointMetrics(
    int Index,
    string Name,
    int Faces,
    double? NmeInterOcular,
    double? NmeBoxWidth,
    double? FailureRateInterOcular,
    double? FailureRateBoxWidth);
