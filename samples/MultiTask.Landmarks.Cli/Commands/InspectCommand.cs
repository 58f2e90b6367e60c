using System.CommandLine;
using System.Globalization;
using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Cli.Inspection;
using MultiTask.Landmarks.Cli.Output;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl inspect: counts and distributions of a dataset, and every problem in it with its file and line.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(GlobalOptions global)
    {
        var dataset = new DatasetOptions();
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report to this file (JSON)." };
        var command = new Command("inspect", "Check a dataset the way training would read it: counts, attribute " +
                                             "distributions, box statistics and every problem with its file and " +
                                             "line. Exit code 0 when clean, 2 when there are problems.");
        dataset.AddTo(command);
        command.Options.Add(json);
        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, (logger, token) =>
            {
                DatasetRequest request = dataset.Read(result);
                InspectionReport report = AnsiConsole.Progress().Start(context =>
                {
                    ProgressTask task = context.AddTask("decoding every image", maxValue: 1);
                    InspectionReport inspected = DatasetInspector.Inspect(request, logger,
                        new Progress<(int Done, int Total)>(p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                        }),
                        token);
                    task.Value = task.MaxValue;
                    return inspected;
                });

                if (result.GetValue(json) is FileInfo file)
                {
                    Json.Write(file.FullName, report);
                }

                Print(report);
                return Task.FromResult(report.IsClean ? ExitCodes.Success : ExitCodes.BadInput);
            }));
        return command;
    }

    private static void Print(InspectionReport report)
    {
        string I(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var counts = new Table().Title(Markup.Escape($"{report.Dataset}: {report.Source}")).AddColumns("", "faces");
        counts.AddRow("listed", I(report.ListedFaces));
        counts.AddRow("usable", I(report.UsableFaces));
        counts.AddRow("distinct images", I(report.DistinctImages));
        counts.AddRow("images listed more than once (extra listings)", I(report.DuplicateImages));
        counts.AddRow("grey images (R = G = B everywhere)", I(report.GreyImages));
        counts.AddRow("image sizes", Markup.Escape(string.Join(", ",
            report.ImageSizes.Take(5).Select(p => $"{p.Key}: {I(p.Value)}"))
            + (report.ImageSizes.Count > 5 ? $", {report.ImageSizes.Count - 5} more" : string.Empty)));
        foreach ((string point, int missing) in report.MissingPoints)
        {
            counts.AddRow(Markup.Escape($"missing {point}"), I(missing));
        }

        counts.AddRow("boxes reaching beyond the image", I(report.BoxesBeyondImage));
        counts.AddRow("faces with a point outside the box", I(report.FacesWithPointsOutsideBox));
        AnsiConsole.Write(counts);

        if (report.Attributes.Count > 0)
        {
            var attributes = new Table().Title("attributes (usable faces)").AddColumns("attribute", "classes");
            foreach ((string name, IReadOnlyDictionary<string, int> classes) in report.Attributes)
            {
                int total = Math.Max(1, classes.Values.Sum());
                attributes.AddRow(name, Markup.Escape(string.Join(", ", classes.Select(c => string.Create(
                    CultureInfo.InvariantCulture, $"{c.Key} {I(c.Value)} ({100.0 * c.Value / total:F1} %)")))));
            }

            AnsiConsole.Write(attributes);
        }

        var sizes = new Table().Title(Markup.Escape($"sizes in pixels (usable faces; boxes {report.BoxSource})"))
            .AddColumns("", "min", "median", "mean", "max");
        AddSize(sizes, "box width", report.BoxWidth);
        AddSize(sizes, "box height", report.BoxHeight);
        AddSize(sizes, "inter-ocular distance", report.InterOcularDistance);
        AddSize(sizes, "inter-ocular / box width", report.InterOcularToBoxWidth);
        AnsiConsole.Write(sizes);

        if (report.IsClean)
        {
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"No problems: every listed image decodes and every face is usable ({report.Seconds:F1} s).")));
            return;
        }

        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{report.Problems.Count} problems ({report.Seconds:F1} s):")));
        // One unwrapped line per problem, so that the list can be searched and clicked like compiler output.
        foreach (InspectionProblem problem in report.Problems)
        {
            Console.WriteLine($"  {problem}");
        }
    }

    private static void AddSize(Table table, string name, SizeStatistics? value)
    {
        string F(double v) => v.ToString(v < 10 ? "F3" : "F1", CultureInfo.InvariantCulture);
        if (value is not null)
        {
            table.AddRow(name, F(value.Min), F(value.Median), F(value.Mean), F(value.Max));
        }
    }
}
