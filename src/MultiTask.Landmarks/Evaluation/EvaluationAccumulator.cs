using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Evaluation;

/// <summary>
/// Gathers predictions and ground truth face by face or batch by batch, and computes an <see cref="EvaluationResult"/>
/// at the end. Coordinates are image pixels (any frame works for the normalised errors as long as boxes share it; the
/// RMSE is in that frame's units). Missing true points are left out; unknown attribute labels
/// (<see cref="FaceAttributes.Unknown"/>) are left out. Not thread-safe: feed it from one thread.
/// </summary>
public sealed class EvaluationAccumulator
{
    private readonly LandmarkSchema schema;
    private readonly LandmarkEvaluationOptions options;
    private readonly AttributeTally attributeTally;
    private readonly PointErrorSums[] points;
    private readonly List<double> faceInterOcular = new();
    private readonly List<double> faceBoxWidth = new();
    private readonly double[] errors;
    private readonly bool[] present;
    private int facesAdded;
    private int faces;
    private int skippedInterOcular;
    private double squaredErrorSum;
    private long coordinates;

    /// <summary>Initializes a new instance of the <see cref="EvaluationAccumulator"/> class.</summary>
    /// <param name="schema">The landmark schema of both predictions and ground truth.</param>
    /// <param name="options">The normalisation and thresholds; the defaults when <see langword="null"/>.</param>
    /// <param name="attributes">The attribute tasks to score; tasks of kind <see cref="TaskKind.Landmarks"/> are
    /// ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options name eye points outside the schema, or no eye points, or an
    /// attribute is named twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A threshold or CED maximum is not positive, or
    /// <see cref="LandmarkEvaluationOptions.CedPointCount"/> is below 2.</exception>
    public EvaluationAccumulator(
        LandmarkSchema schema,
        LandmarkEvaluationOptions? options = null,
        IEnumerable<TaskSpec>? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        this.schema = schema;
        this.options = options ?? new LandmarkEvaluationOptions();
        this.options.Validate(schema);

        points = new PointErrorSums[schema.Count];
        errors = new double[schema.Count];
        present = new bool[schema.Count];
        attributeTally = new AttributeTally(attributes ?? Array.Empty<TaskSpec>());
    }

    /// <summary>Gets the number of faces added so far, including those without annotated points.</summary>
    public int FacesAdded => facesAdded;

    /// <summary>Adds one face's landmarks.</summary>
    /// <param name="predicted">The predicted points, one per schema point.</param>
    /// <param name="truth">The true points; missing ones are left out.</param>
    /// <param name="box">The face box, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">A list is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A list has the wrong length, a prediction is missing or not finite where
    /// the truth is annotated, the box is empty, or the true eye centres coincide (unless
    /// <see cref="LandmarkEvaluationOptions.SkipDegenerateInterOcular"/>).</exception>
    public void AddFace(IReadOnlyList<Landmark> predicted, IReadOnlyList<Landmark> truth, FaceBox? box = null)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        RequireCount(predicted.Count, nameof(predicted));
        RequireCount(truth.Count, nameof(truth));

        var face = new double[4 * schema.Count];
        for (int k = 0; k < schema.Count; k++)
        {
            present[k] = !truth[k].IsMissing;
            if (present[k] && predicted[k].IsMissing)
            {
                throw new ArgumentException(
                    $"Face #{facesAdded}: point {k} ({schema.PointNames[k]}) is annotated but not predicted.",
                    nameof(predicted));
            }

            face[4 * k] = predicted[k].X;
            face[(4 * k) + 1] = predicted[k].Y;
            face[(4 * k) + 2] = truth[k].X;
            face[(4 * k) + 3] = truth[k].Y;
        }

        AddCore(face, box);
    }

    /// <summary>Adds a batch of faces laid out as a <see cref="FaceBatch"/> lays out its landmarks.</summary>
    /// <param name="predicted">The predicted points, [N, K, 2] flattened (x then y).</param>
    /// <param name="truth">The true points, [N, K, 2] flattened.</param>
    /// <param name="mask">The annotation mask, [N, K] flattened: above 0.5 where the true point is annotated.</param>
    /// <param name="boxes">The N face boxes (each possibly <see langword="null"/>), or <see langword="null"/> when no
    /// face has one.</param>
    /// <exception cref="ArgumentException">The lengths disagree with each other or with the schema, or a face is
    /// rejected as by <see cref="AddFace"/> (the faces before it stay counted).</exception>
    public void AddFaces(
        ReadOnlySpan<float> predicted,
        ReadOnlySpan<float> truth,
        ReadOnlySpan<float> mask,
        IReadOnlyList<FaceBox?>? boxes = null)
    {
        int k = schema.Count;
        if (mask.Length % k != 0 || predicted.Length != 2 * mask.Length || truth.Length != 2 * mask.Length)
        {
            throw new ArgumentException(
                $"Expected predicted and truth of length 2NK and mask of length NK with K = {k}; got " +
                $"{predicted.Length}, {truth.Length} and {mask.Length}.",
                nameof(mask));
        }

        int count = mask.Length / k;
        if (boxes is not null && boxes.Count != count)
        {
            throw new ArgumentException($"Expected {count} boxes, got {boxes.Count}.", nameof(boxes));
        }

        var face = new double[4 * k];
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < k; j++)
            {
                int xy = 2 * ((n * k) + j);
                present[j] = mask[(n * k) + j] > 0.5f;
                face[4 * j] = predicted[xy];
                face[(4 * j) + 1] = predicted[xy + 1];
                face[(4 * j) + 2] = truth[xy];
                face[(4 * j) + 3] = truth[xy + 1];
            }

            AddCore(face, boxes?[n]);
        }
    }

    /// <summary>Adds one face's prediction and label for an attribute.</summary>
    /// <param name="name">The attribute's name, one of those given at construction.</param>
    /// <param name="predicted">The predicted class.</param>
    /// <param name="truth">The true class, or <see cref="FaceAttributes.Unknown"/> to leave the face out.</param>
    /// <exception cref="ArgumentException">The attribute was not given at construction.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside the attribute's classes.</exception>
    public void AddAttribute(string name, long predicted, long truth)
    {
        attributeTally.Add(name, predicted, truth);
    }

    /// <summary>Adds a batch of predictions and labels for an attribute.</summary>
    /// <param name="name">The attribute's name, one of those given at construction.</param>
    /// <param name="predicted">The predicted classes (the arg-max of the logits).</param>
    /// <param name="truth">The true classes, each possibly <see cref="FaceAttributes.Unknown"/>.</param>
    /// <exception cref="ArgumentException">The attribute was not given at construction, or the lengths differ.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside the attribute's classes.</exception>
    public void AddAttributes(string name, ReadOnlySpan<long> predicted, ReadOnlySpan<long> truth)
    {
        if (predicted.Length != truth.Length)
        {
            throw new ArgumentException(
                $"Attribute '{name}': {predicted.Length} predictions but {truth.Length} labels.", nameof(truth));
        }

        for (int i = 0; i < predicted.Length; i++)
        {
            attributeTally.Add(name, predicted[i], truth[i]);
        }
    }

    /// <summary>Computes the metrics of everything added so far.</summary>
    /// <returns>The result; the accumulator can go on gathering afterwards.</returns>
    public EvaluationResult GetResult()
    {
        var perPoint = new PointMetrics[schema.Count];
        for (int k = 0; k < schema.Count; k++)
        {
            PointErrorSums s = points[k];
            perPoint[k] = new PointMetrics(
                k,
                schema.PointNames[k],
                s.Faces,
                Ratio(s.InterOcularSum, s.InterOcularFaces),
                Ratio(s.BoxWidthSum, s.BoxWidthFaces),
                Ratio(s.InterOcularFailures, s.InterOcularFaces),
                Ratio(s.BoxWidthFailures, s.BoxWidthFaces));
        }

        return new EvaluationResult
        {
            Faces = faces,
            FacesWithBox = faceBoxWidth.Count,
            FacesSkippedInterOcular = skippedInterOcular,
            NmeInterOcular = Mean(faceInterOcular),
            NmeBoxWidth = Mean(faceBoxWidth),
            FailureRateInterOcular = FailureRate(faceInterOcular, options.InterOcularFailureThreshold),
            FailureRateBoxWidth = FailureRate(faceBoxWidth, options.BoxWidthFailureThreshold),
            CedInterOcular = Ced(faceInterOcular, options.CedMaximumInterOcular),
            CedBoxWidth = Ced(faceBoxWidth, options.CedMaximumBoxWidth),
            PerPoint = perPoint,
            RmsePixels = coordinates == 0 ? null : Math.Sqrt(squaredErrorSum / coordinates),
            Attributes = attributeTally.ToMetrics(),
        };
    }

    // face holds, per point, predicted x, y then true x, y; present[] says which true points are annotated. Everything
    // is checked before anything is counted, so a rejected face leaves the accumulator as it was.
    private void AddCore(double[] face, FaceBox? box)
    {
        int index = facesAdded++;
        int annotated = 0;
        double squared = 0;
        for (int k = 0; k < schema.Count; k++)
        {
            if (!present[k])
            {
                continue;
            }

            double dx = face[4 * k] - face[(4 * k) + 2];
            double dy = face[(4 * k) + 1] - face[(4 * k) + 3];
            if (!double.IsFinite(dx) || !double.IsFinite(dy))
            {
                throw new ArgumentException(
                    $"Face #{index}: point {k} ({schema.PointNames[k]}) has a non-finite prediction or annotation.");
            }

            errors[k] = Math.Sqrt((dx * dx) + (dy * dy));
            squared += (dx * dx) + (dy * dy);
            annotated++;
        }

        if (annotated == 0)
        {
            return;
        }

        double interOcular = InterOcularDistance(face);
        bool degenerate = !(interOcular > 0 && double.IsFinite(interOcular));
        if (degenerate && !options.SkipDegenerateInterOcular)
        {
            throw new ArgumentException(
                $"Face #{index}: the true eye centres are missing or coincide (inter-ocular distance {interOcular}), " +
                "so its inter-ocular error is undefined. Fix the annotation or set SkipDegenerateInterOcular.");
        }

        if (box is { } b && !(b.Width > 0 && float.IsFinite(b.Width)))
        {
            throw new ArgumentException($"Face #{index}: the face box has width {b.Width}; it must be positive.");
        }

        faces++;
        squaredErrorSum += squared;
        coordinates += 2 * annotated;
        for (int k = 0; k < schema.Count; k++)
        {
            points[k].Faces += present[k] ? 1 : 0;
        }

        if (degenerate)
        {
            skippedInterOcular++;
        }
        else
        {
            faceInterOcular.Add(Accumulate(interOcular, options.InterOcularFailureThreshold, boxWidth: false));
        }

        if (box is { } faceBox)
        {
            faceBoxWidth.Add(Accumulate(faceBox.Width, options.PointFailureThreshold, boxWidth: true));
        }
    }

    // Adds the current face's point errors normalised by the given distance and returns the face's mean.
    private double Accumulate(double normaliser, double pointFailureThreshold, bool boxWidth)
    {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < schema.Count; k++)
        {
            if (!present[k])
            {
                continue;
            }

            double e = errors[k] / normaliser;
            points[k].Add(e, e > pointFailureThreshold, boxWidth);
            sum += e;
            count++;
        }

        return sum / count;
    }

    private double InterOcularDistance(double[] face)
    {
        (double lx, double ly, int ln) = EyeCentre(face, options.LeftEyePoints);
        (double rx, double ry, int rn) = EyeCentre(face, options.RightEyePoints);
        return ln == 0 || rn == 0 ? double.NaN : Math.Sqrt(((lx - rx) * (lx - rx)) + ((ly - ry) * (ly - ry)));
    }

    private (double X, double Y, int Count) EyeCentre(double[] face, IReadOnlyList<int> eye)
    {
        double x = 0, y = 0;
        int n = 0;
        foreach (int k in eye)
        {
            if (present[k])
            {
                x += face[(4 * k) + 2];
                y += face[(4 * k) + 3];
                n++;
            }
        }

        return n == 0 ? (0, 0, 0) : (x / n, y / n, n);
    }

    private CumulativeErrorDistribution? Ced(List<double> faceErrors, double maximum) =>
        faceErrors.Count == 0
            ? null
            : CumulativeErrorDistribution.FromErrors(faceErrors, maximum, options.CedPointCount);

    private static double? Mean(List<double> values) => values.Count == 0 ? null : values.Average();

    private static double? FailureRate(List<double> values, double threshold) =>
        values.Count == 0 ? null : (double)values.Count(v => v > threshold) / values.Count;

    private static double? Ratio(double sum, int count) => count == 0 ? null : sum / count;

    private void RequireCount(int count, string parameter)
    {
        if (count != schema.Count)
        {
            throw new ArgumentException(
                $"Expected {schema.Count} points (schema '{schema.Name}'), got {count}.", parameter);
        }
    }
}
