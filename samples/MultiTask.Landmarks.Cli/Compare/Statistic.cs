using System.Globalization;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>The mean and sample standard deviation of a metric over seeds (runs where it is undefined left out).
/// </summary>
internal sealed record Statistic(double Mean, double StandardDeviation, int Count)
{
    public static Statistic? Of(IEnumerable<double?> values)
    {
        double[] finite = values.Where(v => v is double x && double.IsFinite(x)).Select(v => v!.Value).ToArray();
        if (finite.Length == 0)
        {
            return null;
        }

        double mean = finite.Average();
        double variance = finite.Length > 1
            ? finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1)
            : 0;
        return new Statistic(mean, Math.Sqrt(variance), finite.Length);
    }

    /// <summary>Formats as "mean ± sd", the values multiplied by <paramref name="scale"/>; one run shows no sd.
    /// </summary>
    public string Format(double scale = 1, string format = "F2") => Count > 1
        ? string.Create(CultureInfo.InvariantCulture,
            $"{(Mean * scale).ToString(format, CultureInfo.InvariantCulture)} ± " +
            $"{(StandardDeviation * scale).ToString(format, CultureInfo.InvariantCulture)}")
        : (Mean * scale).ToString(format, CultureInfo.InvariantCulture);
}
