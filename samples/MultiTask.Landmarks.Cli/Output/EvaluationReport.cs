using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Evaluation;

namespace MultiTask.Landmarks.Cli.Output;

/// <summary>The JSON of mtl evaluate. Fixed field names: faces, nmeInterOcular, nmeBoxWidth (null without boxes),
/// failureRate (at the inter-ocular threshold), perPoint, auc, attributes (per attribute: accuracy).</summary>
internal sealed record EvaluationReport(
    int Faces,
    double? NmeInterOcular,
    double? NmeBoxWidth,
    double? FailureRate,
    double? FailureRateBoxWidth,
    IReadOnlyList<PointReport> PerPoint,
    double? Auc,
    double? RmsePixels,
    IReadOnlyDictionary<string, AttributeReport> Attributes)
{
    public static EvaluationReport From(EvaluationResult result, LandmarkSchema schema) => new(
        result.Faces,
        result.NmeInterOcular,
        result.NmeBoxWidth,
        result.FailureRateInterOcular,
        result.FailureRateBoxWidth,
        result.PerPoint
            .Select(p => new PointReport(p.Name, p.NmeInterOcular, p.NmeBoxWidth, p.FailureRateBoxWidth))
            .ToArray(),
        result.Auc,
        result.RmsePixels,
        result.Attributes.ToDictionary(
            pair => pair.Key,
            pair => new AttributeReport(pair.Value.Accuracy, pair.Value.Faces, pair.Value.Confusion)));
}

/// <summary>One point's errors.</summary>
internal sealed record PointReport(
    string Name, double? NmeInterOcular, double? NmeBoxWidth, double? FailureRateBoxWidth);

/// <summary>One attribute's accuracy and confusion matrix (rows: truth, columns: prediction).</summary>
internal sealed record AttributeReport(double? Accuracy, long Faces, IReadOnlyList<IReadOnlyList<long>> Confusion);
