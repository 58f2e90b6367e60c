namespace MultiTask.Landmarks.Data.Boxes;

/// <summary>
/// Fits a <see cref="LandmarkBoxRule"/> to faces that list both five points and a detector box, and measures how far
/// a rule's boxes spread around the listed ones. <see cref="LandmarkBoxRule.Default"/> was fitted this way on
/// CNN_FacePoint's trainImageList.txt.
/// </summary>
public static class LandmarkBoxCalibration
{
    /// <summary>Fits the rule's constants: the mean ratio of listed side to landmark spread (scale), the mean
    /// vertical offset, and a least-squares line of horizontal offset against the nose's sideways shift.</summary>
    /// <param name="samples">Faces with listed boxes and 5, 15 or 68 landmarks.</param>
    /// <returns>The fitted rule.</returns>
    /// <exception cref="ArgumentNullException">The samples are null.</exception>
    /// <exception cref="ArgumentException">There are fewer than two samples.</exception>
    /// <exception cref="InvalidDataException">A sample has no box or unusable landmarks; the message names its
    /// file and line.</exception>
    public static LandmarkBoxRule Fit(IEnumerable<FaceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        List<Measurement> measurements = samples.Select(Measure).ToList();
        if (measurements.Count < 2)
        {
            throw new ArgumentException("At least two faces with boxes are needed to fit the rule.", nameof(samples));
        }

        double meanShift = measurements.Average(m => m.NoseShift);
        double meanOffsetX = measurements.Average(m => m.OffsetX);
        double covariance = measurements.Sum(m => (m.NoseShift - meanShift) * (m.OffsetX - meanOffsetX));
        double variance = measurements.Sum(m => (m.NoseShift - meanShift) * (m.NoseShift - meanShift));
        double slope = variance > 0 ? covariance / variance : 0;
        return new LandmarkBoxRule
        {
            CenterOffsetX = (float)(meanOffsetX - (slope * meanShift)),
            YawShift = (float)slope,
            CenterOffsetY = (float)measurements.Average(m => m.OffsetY),
            Scale = (float)measurements.Average(m => m.SideOverSpread),
        };
    }

    /// <summary>Compares a rule's boxes with the listed boxes.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="samples">Faces with listed boxes and 5, 15 or 68 landmarks.</param>
    /// <returns>The spread of centre offsets and scale ratios, as shares of the listed box's side.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are no samples.</exception>
    /// <exception cref="InvalidDataException">A sample has no box or unusable landmarks; the message names its
    /// file and line.</exception>
    public static BoxRuleSpread Evaluate(LandmarkBoxRule rule, IEnumerable<FaceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(samples);
        var offsetsX = new List<double>();
        var offsetsY = new List<double>();
        var ratios = new List<double>();
        var overlaps = new List<double>();
        foreach (FaceSample sample in samples)
        {
            FaceBox listed = ListedBox(sample);
            FaceBox derived = rule.Derive(sample.Landmarks, sample.Origin);
            double side = Side(listed);
            offsetsX.Add((derived.CenterX - listed.CenterX) / side);
            offsetsY.Add((derived.CenterY - listed.CenterY) / side);
            ratios.Add(Side(derived) / side);
            overlaps.Add(IntersectionOverUnion(derived, listed));
        }

        if (ratios.Count == 0)
        {
            throw new ArgumentException("No faces to compare.", nameof(samples));
        }

        return new BoxRuleSpread(ratios.Count, offsetsX.Average(), offsetsY.Average(), Std(offsetsX), Std(offsetsY),
            ratios.Average(), Std(ratios), overlaps.Average());
    }

    private static Measurement Measure(FaceSample sample)
    {
        FaceBox listed = ListedBox(sample);
        var five = FivePoints.From(sample.Landmarks, sample.Origin);
        double spread = five.Spread;
        if (!(spread > 1e-3))
        {
            throw new InvalidDataException($"{sample.Origin}: the five landmarks coincide, so they give no face size.");
        }

        return new Measurement(
            (listed.CenterX - five.MeanX) / spread,
            (listed.CenterY - five.MeanY) / spread,
            five.NoseShift,
            Side(listed) / spread);
    }

    private static FaceBox ListedBox(FaceSample sample) => sample.Box
        ?? throw new InvalidDataException($"{sample.Origin}: the sample lists no box to calibrate against.");

    // CNN_FacePoint's detector boxes are square to within a pixel; the mean of width and height is their side.
    private static double Side(FaceBox box) => (box.Width + box.Height) / 2.0;

    private static double IntersectionOverUnion(FaceBox a, FaceBox b)
    {
        double width = Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X));
        double height = Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y));
        double intersection = width * height;
        return intersection / ((a.Width * a.Height) + (b.Width * b.Height) - intersection);
    }

    private static double Std(List<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    private readonly record struct Measurement(double OffsetX, double OffsetY, double NoseShift, double SideOverSpread);
}
