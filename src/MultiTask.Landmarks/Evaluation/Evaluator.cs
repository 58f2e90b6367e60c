using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Evaluation;

/// <summary>Evaluates whole prediction sets in one call; <see cref="EvaluationAccumulator"/> does the same batch by
/// batch.</summary>
public static class Evaluator
{
    /// <summary>Computes the landmark metrics of a set of faces.</summary>
    /// <param name="schema">The landmark schema.</param>
    /// <param name="predicted">The predicted points of each face.</param>
    /// <param name="truth">The true points of each face, each possibly missing.</param>
    /// <param name="boxes">The face box of each face (each possibly <see langword="null"/>), or
    /// <see langword="null"/> when no face has one.</param>
    /// <param name="options">The normalisation and thresholds; the defaults when <see langword="null"/>.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length, or a face is rejected as by
    /// <see cref="EvaluationAccumulator.AddFace"/>.</exception>
    public static EvaluationResult EvaluateLandmarks(
        LandmarkSchema schema,
        IReadOnlyList<IReadOnlyList<Landmark>> predicted,
        IReadOnlyList<IReadOnlyList<Landmark>> truth,
        IReadOnlyList<FaceBox?>? boxes = null,
        LandmarkEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count || (boxes is not null && boxes.Count != truth.Count))
        {
            throw new ArgumentException(
                $"Expected as many predictions, annotations and boxes; got {predicted.Count}, {truth.Count} and " +
                $"{boxes?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.",
                nameof(truth));
        }

        var accumulator = new EvaluationAccumulator(schema, options);
        for (int i = 0; i < truth.Count; i++)
        {
            accumulator.AddFace(predicted[i], truth[i], boxes?[i]);
        }

        return accumulator.GetResult();
    }

    /// <summary>Computes the accuracy and confusion matrix of one attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="predicted">The predicted class of each face.</param>
    /// <param name="truth">The true class of each face, or <see cref="FaceAttributes.Unknown"/> to leave it out.
    /// </param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The name is empty, there are fewer than one class, or the lengths differ.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside 0..<paramref name="classes"/>-1.</exception>
    public static AttributeMetrics EvaluateAttribute(
        string name,
        int classes,
        ReadOnlySpan<long> predicted,
        ReadOnlySpan<long> truth)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var tally = new AttributeTally(new[] { TaskSpec.Classification(name, classes) });
        if (predicted.Length != truth.Length)
        {
            throw new ArgumentException(
                $"Attribute '{name}': {predicted.Length} predictions but {truth.Length} labels.", nameof(truth));
        }

        for (int i = 0; i < predicted.Length; i++)
        {
            tally.Add(name, predicted[i], truth[i]);
        }

        return tally.ToMetrics()[name];
    }
}
