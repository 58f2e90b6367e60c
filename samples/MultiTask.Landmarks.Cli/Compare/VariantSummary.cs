using MultiTask.Landmarks.Evaluation;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>One variant's metrics over its seeds: the rows of results.md and results.json.</summary>
internal sealed record VariantSummary(
    string Name,
    string Architecture,
    IReadOnlyList<int> Seeds,
    Statistic? NmeBoxWidth,
    Statistic? NmeInterOcular,
    Statistic? FailureRateBoxWidth,
    Statistic? FailureRate,
    Statistic? Auc,
    IReadOnlyDictionary<string, Statistic?> AttributeAccuracies,
    bool AttributesFromValidation,
    Statistic? DeltaM,
    long Parameters,
    Statistic? TrainingSeconds,
    Statistic? TrainSamplesPerSecond,
    IReadOnlyList<CrossStitchStage>? CrossStitch)
{
    /// <summary>Summarises the runs of each variant, in the order of <paramref name="variants"/>; Delta-m compares
    /// each seed's run with the baseline's run of the same seed.</summary>
    public static IReadOnlyList<VariantSummary> From(
        IReadOnlyList<VariantSpec> variants, IReadOnlyList<RunRecord> records, string? baseline,
        IReadOnlyList<string> attributes, bool byBoxWidth)
    {
        var baselineBySeed = records.Where(r => r.Variant == baseline)
            .ToDictionary(r => r.Seed, r => LandmarkError(r, byBoxWidth));
        var summaries = new List<VariantSummary>();
        foreach (VariantSpec variant in variants)
        {
            RunRecord[] runs = records.Where(r => r.Variant == variant.Name).OrderBy(r => r.Seed).ToArray();
            if (runs.Length == 0)
            {
                continue;
            }

            bool fromValidation = false;
            var accuracies = new Dictionary<string, Statistic?>(StringComparer.Ordinal);
            foreach (string attribute in attributes)
            {
                accuracies[attribute] = Statistic.Of(runs.Select(r =>
                {
                    double? value = r.AttributeAccuracy(attribute, out bool validation);
                    fromValidation |= validation;
                    return value;
                }));
            }

            summaries.Add(new VariantSummary(
                variant.Name,
                runs[0].Architecture,
                runs.Select(r => r.Seed).ToArray(),
                Statistic.Of(runs.Select(r => r.Evaluation.NmeBoxWidth)),
                Statistic.Of(runs.Select(r => r.Evaluation.NmeInterOcular)),
                Statistic.Of(runs.Select(r => r.Evaluation.FailureRateBoxWidth)),
                Statistic.Of(runs.Select(r => r.Evaluation.FailureRate)),
                Statistic.Of(runs.Select(r => r.Evaluation.Auc)),
                accuracies,
                fromValidation,
                Statistic.Of(runs.Select(r => ComputeDeltaM(LandmarkError(r, byBoxWidth), baselineBySeed, r.Seed))),
                runs[0].Parameters,
                Statistic.Of(runs.Select(r => (double?)r.TrainingSeconds)),
                Statistic.Of(runs.Select(r => (double?)r.TrainSamplesPerSecond)),
                CrossStitchStage.Average(runs)));
        }

        return summaries;
    }

    private static double? LandmarkError(RunRecord record, bool byBoxWidth) =>
        byBoxWidth ? record.Evaluation.NmeBoxWidth : record.Evaluation.NmeInterOcular;

    // The single-task baseline predicts landmarks only, so Delta-m covers the landmark task: the attributes have no
    // single-task model to be compared with.
    private static double? ComputeDeltaM(double? error, Dictionary<int, double?> baseline, int seed) =>
        error is double m && baseline.TryGetValue(seed, out double? b) && b is double reference && reference > 0
            ? MultiTaskDelta.Compute(new[] { new TaskComparison("landmarks", m, reference, LowerIsBetter: true) })
                .Percent
            : null;
}

/// <summary>The cross-stitch unit after one stage, its [from][to] weights averaged over the seeds.</summary>
internal sealed record CrossStitchStage(string Stage, IReadOnlyList<string> Columns, double[][] Weights)
{
    public static IReadOnlyList<CrossStitchStage>? Average(IReadOnlyList<RunRecord> runs)
    {
        var withStitches = runs.Where(r => r.CrossStitch is { Count: > 0 }).ToArray();
        if (withStitches.Length == 0)
        {
            return null;
        }

        return withStitches[0].CrossStitch!.Select((unit, u) =>
        {
            int n = unit.Columns.Count;
            var mean = new double[n][];
            for (int from = 0; from < n; from++)
            {
                mean[from] = new double[n];
                for (int to = 0; to < n; to++)
                {
                    mean[from][to] = withStitches.Average(r => r.CrossStitch![u].Weights[from][to]);
                }
            }

            return new CrossStitchStage(unit.Stage, unit.Columns, mean);
        }).ToArray();
    }
}
