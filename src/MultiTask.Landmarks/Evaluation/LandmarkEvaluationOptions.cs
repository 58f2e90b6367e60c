using MultiTask.Landmarks.Data;

namespace MultiTask.Landmarks.Evaluation;

/// <summary>
/// How landmark errors are normalised and judged. The defaults follow the five-point literature: the inter-ocular
/// distance between the two eye centres (points 0 and 1 of <see cref="LandmarkSchema.Mtfl5"/>), failure above 10 % of
/// it, and failure above 5 % of the face-box width as the CNN_FacePoint benchmark reports it.
/// </summary>
public sealed class LandmarkEvaluationOptions
{
    /// <summary>Gets the points whose mean is the left eye centre.</summary>
    /// <value>The default is point 0.</value>
    public IReadOnlyList<int> LeftEyePoints { get; init; } = new[] { 0 };

    /// <summary>Gets the points whose mean is the right eye centre.</summary>
    /// <value>The default is point 1.</value>
    public IReadOnlyList<int> RightEyePoints { get; init; } = new[] { 1 };

    /// <summary>Gets the mean normalised error above which a face counts as a failure under inter-ocular
    /// normalisation.</summary>
    /// <value>The default is 0.10.</value>
    public double InterOcularFailureThreshold { get; init; } = 0.10;

    /// <summary>Gets the mean normalised error above which a face counts as a failure under box-width
    /// normalisation.</summary>
    /// <value>The default is 0.05.</value>
    public double BoxWidthFailureThreshold { get; init; } = 0.05;

    /// <summary>Gets the error of one point, as a share of the box width, above which that point counts as failed in
    /// the per-point failure rate (the CNN_FacePoint convention).</summary>
    /// <value>The default is 0.05.</value>
    public double PointFailureThreshold { get; init; } = 0.05;

    /// <summary>Gets the largest inter-ocular error the cumulative error distribution covers; its area under the curve
    /// is taken up to this value.</summary>
    /// <value>The default is 0.10.</value>
    public double CedMaximumInterOcular { get; init; } = 0.10;

    /// <summary>Gets the largest box-width error the cumulative error distribution covers.</summary>
    /// <value>The default is 0.05.</value>
    public double CedMaximumBoxWidth { get; init; } = 0.05;

    /// <summary>Gets the number of evenly spaced thresholds, from 0 to the maximum inclusive, at which the cumulative
    /// error distribution is sampled.</summary>
    /// <value>The default is 101.</value>
    public int CedPointCount { get; init; } = 101;

    /// <summary>
    /// Gets a value indicating whether a face whose true eye centres coincide or are missing is left out of the
    /// inter-ocular metrics (and counted in <see cref="EvaluationResult.FacesSkippedInterOcular"/>) instead of
    /// failing the evaluation. Its box-width metrics and RMSE still count.
    /// </summary>
    /// <value>The default is <see langword="false"/>: such a face throws.</value>
    public bool SkipDegenerateInterOcular { get; init; }

    /// <summary>Creates options whose eye points fit a schema: the eye centres of <see cref="LandmarkSchema.Mtfl5"/>
    /// and <see cref="LandmarkSchema.Kaggle15"/>, the six-point eye contours of <see cref="LandmarkSchema.Ibug68"/>.
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The options, otherwise at their defaults.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema is not one whose eyes are known; set the eye points
    /// yourself.</exception>
    public static LandmarkEvaluationOptions ForSchema(LandmarkSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Name == LandmarkSchema.Ibug68.Name)
        {
            // 300-W's inter-ocular distance joins the eye centres, each the mean of its six contour points (1-based
            // 43-48 for the subject's left eye, 37-42 for the right).
            return new LandmarkEvaluationOptions
            {
                LeftEyePoints = Enumerable.Range(42, 6).ToArray(),
                RightEyePoints = Enumerable.Range(36, 6).ToArray(),
            };
        }

        if (schema.Name == LandmarkSchema.Mtfl5.Name || schema.Name == LandmarkSchema.Kaggle15.Name)
        {
            return new LandmarkEvaluationOptions();
        }

        throw new ArgumentException(
            $"The eye points of schema '{schema.Name}' are not known; set LeftEyePoints and RightEyePoints.",
            nameof(schema));
    }

    /// <summary>Checks the options against a schema.</summary>
    /// <param name="schema">The schema.</param>
    internal void Validate(LandmarkSchema schema)
    {
        foreach ((IReadOnlyList<int> eye, string name) in new[]
                 {
                     (LeftEyePoints, nameof(LeftEyePoints)),
                     (RightEyePoints, nameof(RightEyePoints)),
                 })
        {
            if (eye is null || eye.Count == 0 || eye.Any(k => k < 0 || k >= schema.Count))
            {
                throw new ArgumentException(
                    $"{name} must name at least one point of schema '{schema.Name}' (0..{schema.Count - 1}).",
                    name);
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InterOcularFailureThreshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BoxWidthFailureThreshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PointFailureThreshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CedMaximumInterOcular);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CedMaximumBoxWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(CedPointCount, 2);
    }
}
