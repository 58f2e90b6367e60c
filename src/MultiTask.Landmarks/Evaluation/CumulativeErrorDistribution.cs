namespace MultiTask.Landmarks.Evaluation;

/// <summary>
/// The share of faces whose mean normalised error is at most each threshold from 0 to <see cref="Maximum"/>, and the
/// area under that curve.
/// </summary>
public sealed class CumulativeErrorDistribution
{
    /// <summary>Initializes a new instance of the <see cref="CumulativeErrorDistribution"/> class.</summary>
    /// <param name="maximum">The largest threshold.</param>
    /// <param name="points">The sampled points, in increasing threshold.</param>
    /// <param name="auc">The area under the curve up to <paramref name="maximum"/>, divided by it.</param>
    public CumulativeErrorDistribution(double maximum, IReadOnlyList<CedPoint> points, double auc)
    {
        ArgumentNullException.ThrowIfNull(points);
        Maximum = maximum;
        Points = points.ToArray();
        Auc = auc;
    }

    /// <summary>Gets the largest threshold.</summary>
    public double Maximum { get; }

    /// <summary>Gets the sampled points, at evenly spaced thresholds from 0 to <see cref="Maximum"/> inclusive.
    /// </summary>
    public IReadOnlyList<CedPoint> Points { get; }

    /// <summary>
    /// Gets the area under the curve from 0 to <see cref="Maximum"/>, divided by <see cref="Maximum"/> so that it lies
    /// in 0..1 (1 when every face is exact). It is the exact area under the step curve of the faces' errors, not the
    /// trapezoid over <see cref="Points"/>: the mean over faces of 1 - min(error, maximum) / maximum.
    /// </summary>
    public double Auc { get; }

    /// <summary>Builds the distribution of a set of per-face errors.</summary>
    /// <param name="errors">The per-face mean normalised errors; at least one.</param>
    /// <param name="maximum">The largest threshold; positive.</param>
    /// <param name="pointCount">The number of sampled thresholds; at least 2.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="errors"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximum"/> is not positive or
    /// <paramref name="pointCount"/> is below 2.</exception>
    public static CumulativeErrorDistribution FromErrors(IReadOnlyList<double> errors, double maximum, int pointCount)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximum);
        ArgumentOutOfRangeException.ThrowIfLessThan(pointCount, 2);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A cumulative error distribution needs at least one error.", nameof(errors));
        }

        double[] sorted = errors.ToArray();
        Array.Sort(sorted);

        var points = new CedPoint[pointCount];
        int below = 0;
        for (int i = 0; i < pointCount; i++)
        {
            double threshold = maximum * i / (pointCount - 1);
            while (below < sorted.Length && sorted[below] <= threshold)
            {
                below++;
            }

            points[i] = new CedPoint(threshold, (double)below / sorted.Length);
        }

        // The integral of the step curve from 0 to the maximum is, face by face, the stretch above its error.
        double area = sorted.Sum(e => 1 - (Math.Min(e, maximum) / maximum)) / sorted.Length;
        return new CumulativeErrorDistribution(maximum, points, area);
    }
}
