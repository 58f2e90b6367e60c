using System.Globalization;
using System.Text;
using MultiTask.Landmarks.Cli.Output;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>Writes results.md (a table and the figures), results.json and the PNGs of a comparison.</summary>
internal static class CompareReport
{
    public static IReadOnlyList<VariantSummary> Write(CompareSettings settings, IReadOnlyList<RunRecord> records)
    {
        string? baseline = settings.Variants.FirstOrDefault(v => v.Architecture == "single")?.Name;
        string[] attributes = records.SelectMany(r => r.Evaluation.Attributes.Keys.Concat(r.ValidationAccuracies.Keys))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(a => Array.IndexOf(new[] { "gender", "smile", "glasses", "pose" }, a))
            .ToArray();
        bool byBoxWidth = records.Any(r => r.Evaluation.NmeBoxWidth is not null);
        IReadOnlyList<VariantSummary> summaries =
            VariantSummary.From(settings.Variants, records, baseline, attributes, byBoxWidth);

        Directory.CreateDirectory(settings.Folder);
        ComparePlots.LandmarkErrors(summaries, Path.Combine(settings.Folder, "landmark-error.png"));
        var heatMaps = new List<string>();
        foreach (VariantSummary summary in summaries.Where(s => s.CrossStitch is { Count: > 0 }))
        {
            string name = $"cross-stitch-weights-{summary.Name.Replace(':', '-')}.png";
            ComparePlots.CrossStitchWeights(summary.Name, summary.CrossStitch!, Path.Combine(settings.Folder, name));
            heatMaps.Add(name);
        }

        string metric = byBoxWidth ? "box-width" : "inter-ocular";
        Json.Write(Path.Combine(settings.Folder, "results.json"), new
        {
            dataset = settings.Data.Kind.ToString().ToLowerInvariant(),
            source = settings.Data.Source,
            trainingFaces = settings.Data.Samples.Count,
            evaluationSet = settings.Evaluation.IsValidationSplit ? "validation split" : settings.Evaluation.Name,
            preset = settings.Preset,
            epochs = settings.Template.Epochs,
            batchSize = settings.Template.BatchSize,
            learningRate = settings.Template.LearningRate,
            seeds = settings.Seeds,
            baseline,
            deltaMMetric = $"nme {metric}",
            variants = summaries,
            runs = records,
        });
        File.WriteAllText(Path.Combine(settings.Folder, "results.md"),
            Markdown(settings, summaries, attributes, baseline, metric, heatMaps));
        Print(summaries, attributes);
        return summaries;
    }

    private static string Markdown(
        CompareSettings settings, IReadOnlyList<VariantSummary> summaries, IReadOnlyList<string> attributes,
        string? baseline, string metric, IReadOnlyList<string> heatMaps)
    {
        var text = new StringBuilder();
        TrainerOptionsLine(settings, text);
        string[] header = new[]
        {
            "architecture", "NME / box width (%)", "NME / inter-ocular (%)", "failure > 5 % box (%)",
            "failure > 10 % IOD (%)",
        }.Concat(attributes.Select(a => $"{a} accuracy (%)"))
            .Concat(new[] { $"Δm vs {baseline ?? "single"} (%)", "parameters", "training time (s)" })
            .ToArray();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (VariantSummary s in summaries)
        {
            IEnumerable<string> cells = new[]
            {
                $"{s.Name} ({s.Seeds.Count} seed{(s.Seeds.Count == 1 ? string.Empty : "s")})",
                Cell(s.NmeBoxWidth, 100), Cell(s.NmeInterOcular, 100), Cell(s.FailureRateBoxWidth, 100),
                Cell(s.FailureRate, 100),
            }.Concat(attributes.Select(a => Cell(s.AttributeAccuracies.GetValueOrDefault(a), 100)))
                .Concat(new[]
                {
                    s.Name == baseline ? "baseline" : Cell(s.DeltaM, 1),
                    s.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                    Cell(s.TrainingSeconds, 1, "F0"),
                });
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
        text.AppendLine("Values are mean ± sample standard deviation over the seeds. NME is the mean landmark error " +
                        "as a share of the face-box width (n/a without real boxes) or the inter-ocular distance; a " +
                        "failure is a face whose error exceeds the threshold.");
        text.AppendLine($"Δm (Maninis et al. 2019) is the relative change of the {metric} NME against the " +
                        $"single-task baseline of the same seed, positive when better; it covers the landmark task " +
                        "only, since the baseline predicts no attributes.");
        if (summaries.Any(s => s.AttributesFromValidation))
        {
            text.AppendLine("The evaluation set has no attribute labels, so attribute accuracies are those of the " +
                            "validation split at the best epoch.");
        }

        text.AppendLine("Training time is the sum of the epochs' times (training and validation, not decoding).");
        text.AppendLine();
        text.AppendLine("![Landmark error by architecture](landmark-error.png)");
        foreach (string heatMap in heatMaps)
        {
            text.AppendLine();
            text.AppendLine($"Learned cross-stitch weights [from][to] per stage, mean over seeds: ![]({heatMap})");
        }

        return text.ToString();
    }

    private static void TrainerOptionsLine(CompareSettings settings, StringBuilder text)
    {
        string evaluation = settings.Evaluation.IsValidationSplit
            ? "each seed's validation split (also used for model selection, so slightly optimistic; pass " +
              "--test-annotations for a test set)"
            : settings.Evaluation.Name;
        text.AppendLine("# Architecture comparison");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Trained on {settings.Data.Kind.ToString().ToLowerInvariant()} ({settings.Data.Source}, " +
            $"{settings.Data.Samples.Count} faces) with the {settings.Preset} trunk, {settings.Template.Epochs} " +
            $"epochs, batch {settings.Template.BatchSize}, learning rate {settings.Template.LearningRate}, seeds " +
            $"{string.Join(", ", settings.Seeds)}. Evaluated on {evaluation}."));
        text.AppendLine();
    }

    private static string Cell(Statistic? value, double scale, string format = "F2") =>
        value?.Format(scale, format) ?? "n/a";

    private static void Print(IReadOnlyList<VariantSummary> summaries, IReadOnlyList<string> attributes)
    {
        var table = new Table().AddColumns("architecture", "NME box (%)", "NME IOD (%)", "failure (%)", "Δm (%)");
        foreach (string attribute in attributes)
        {
            table.AddColumn(attribute);
        }

        foreach (VariantSummary s in summaries)
        {
            table.AddRow(new[]
            {
                s.Name, Cell(s.NmeBoxWidth, 100), Cell(s.NmeInterOcular, 100),
                Cell(s.FailureRateBoxWidth ?? s.FailureRate, 100), Cell(s.DeltaM, 1),
            }.Concat(attributes.Select(a => Cell(s.AttributeAccuracies.GetValueOrDefault(a), 100)))
                .Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
    }
}
