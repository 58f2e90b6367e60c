using System.CommandLine;
using System.Globalization;
using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Cli.Profiling;
using MultiTask.Landmarks.Modules;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl profile: how fast a network trains and predicts on this machine, measured on random data.</summary>
internal static class ProfileCommand
{
    public static Command Create(GlobalOptions global)
    {
        var network = new NetworkOptions();
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Faces per training batch.",
            DefaultValueFactory = _ => 64,
        };
        var steps = new Option<int>("--steps")
        {
            Description = "Timed training steps (after the warm-up).",
            DefaultValueFactory = _ => 50,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Training steps run before timing starts (at least 1: the first step allocates; the JIT " +
                          "keeps optimising the batch code over the first few dozen).",
            DefaultValueFactory = _ => 60,
        };
        var threads = new Option<int?>("--threads")
        {
            Description = "CPU threads for libtorch. Default: one per core.",
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu, cuda or cuda:N.",
            DefaultValueFactory = _ => "auto",
        };
        var json = new Option<FileInfo?>("--json") { Description = "Where to write the measurements (JSON)." };
        var command = new Command("profile", "Measure training throughput, inference latency and throughput, and " +
                                             "peak memory of a network on random data.");
        network.AddTo(command);
        foreach (Option option in new Option[] { batchSize, steps, warmup, threads, device, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, async (logger, token) =>
            {
                int batch = Positive(result.GetValue(batchSize), "--batch-size");
                int timed = Positive(result.GetValue(steps), "--steps");
                int warm = Positive(result.GetValue(warmup), "--warmup");
                if (result.GetValue(threads) is int t && t < 1)
                {
                    throw new CliException($"--threads must be at least 1, not {t}.");
                }

                NetworkConfig config = network.Read(result, Recipe.For(DatasetKind.Synthetic), true, 5);
                ProfileReport report = await AnsiConsole.Progress().StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("profiling", maxValue: 1);
                    var progress = new Progress<(string Stage, double Done)>(p =>
                    {
                        task.Description = Markup.Escape(p.Stage);
                        task.Value = p.Done;
                    });
                    return await Profiler.RunAsync(config, batch, timed, warm,
                        TrainingOptionsBinder.ParseDevice(result.GetValue(device)!), result.GetValue(threads), logger,
                        progress, token);
                });

                if (result.GetValue(json) is FileInfo file)
                {
                    Json.Write(file.FullName, report);
                }

                Print(report);
                return ExitCodes.Success;
            }));
        return command;
    }

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new CliException($"{name} must be at least 1, not {value}.");

    private static void Print(ProfileReport report)
    {
        var table = new Table().AddColumns("measure", "value");
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        table.AddRow("network",
            Markup.Escape($"{report.Preset}/{report.Architecture} ({string.Join(",", report.Tasks)})"));
        table.AddRow("device", Markup.Escape($"{report.Device}, {report.CpuThreads} CPU threads"));
        table.AddRow("parameters", report.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow($"training, batch {report.BatchSize}",
            $"{F(report.TrainSamplesPerSecond, "F0")} faces/s ({F(report.TrainStepMs, "F1")} ms a step)");
        table.AddRow("  of which rendering the batch (augmentation, assembly)", $"{F(report.BatchRenderMs, "F1")} ms");
        table.AddRow($"inference latency, 1 face in a {report.InferenceImageSize}px photo",
            $"{F(report.InferenceLatencyMs, "F2")} ms");
        table.AddRow($"inference throughput, batch {report.InferenceBatchSize}",
            $"{F(report.InferenceFacesPerSecond, "F0")} faces/s");
        table.AddRow("network alone, 1 face (crop excluded)", $"{F(report.NetworkLatencyMs, "F3")} ms");
        table.AddRow($"network alone, batch {report.InferenceBatchSize}",
            $"{F(report.NetworkFacesPerSecond, "F0")} faces/s");
        table.AddRow("peak working set", $"{F(report.PeakWorkingSetMb, "F0")} MB");
        AnsiConsole.Write(table);
    }
}
