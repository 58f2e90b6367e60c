using System.Globalization;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Training;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Output;

/// <summary>Live progress of a training run: a bar for the epoch's batches with loss, validation error, faces/s and
/// the time left.</summary>
internal static class TrainingDisplay
{
    public static async Task<TrainingResult> RunAsync(
        string title, int epochs, Func<IProgress<TrainingProgress>, Task<TrainingResult>> fit)
    {
        TrainingResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: epochs);
                string lastEpoch = string.Empty;
                var progress = new Progress<TrainingProgress>(report =>
                {
                    if (report.CompletedEpoch is EpochSummary summary)
                    {
                        lastEpoch = string.Create(CultureInfo.InvariantCulture,
                            $" | val {Percent(summary.ValidationInterOcularError)} IOD");
                        task.Value = summary.Epoch;
                    }
                    else
                    {
                        task.Value = report.Epoch - 1 + ((double)report.Batch / report.BatchesPerEpoch);
                    }

                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"{title} epoch {report.Epoch}/{report.TotalEpochs} " +
                        $"batch {report.Batch}/{report.BatchesPerEpoch} " +
                        $"loss {report.Loss:F4} {report.FacesPerSecond:F0} faces/s{lastEpoch}"));
                });
                result = await fit(progress);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    public static IProgress<LoadProgress> DecodeProgress(string what) => new Progress<LoadProgress>(report =>
    {
        if (report.Completed == report.Total)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Decoded and cropped {report.Total} {what} faces ({report.Failed} failed)."));
        }
    });

    public static string Percent(double? value) =>
        value is double v && double.IsFinite(v) ? (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %" : "n/a";
}
