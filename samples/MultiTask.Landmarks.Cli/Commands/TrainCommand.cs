using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;
using Spectre.Console;
using TorchSharp;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl train: trains a model and writes model.mtl, metrics.json and curves.png.</summary>
internal static class TrainCommand
{
    public static Command Create(GlobalOptions global)
    {
        var dataset = new DatasetOptions();
        var network = new NetworkOptions();
        var training = new TrainingOptionsBinder();
        var resume = new Option<FileInfo?>("--resume")
        {
            Description = "Continue the run of this checkpoint (e.g. OUT/checkpoints/last.ckpt).",
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder for model.mtl, metrics.json, curves.png and checkpoints/.",
            DefaultValueFactory = _ => new DirectoryInfo("runs/latest"),
        };
        var command = new Command(
            "train", "Train a multi-task landmark model. With no options it trains on the built-in synthetic faces.");
        dataset.AddTo(command);
        network.AddTo(command);
        training.AddTo(command);
        command.Options.Add(resume);
        command.Options.Add(output);
        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, async (logger, token) =>
            {
                DatasetRequest request = dataset.Read(result);
                Recipe recipe = Recipe.For(request.Kind);
                TrainerOptions options = training.Read(result, recipe);
                string folder = result.GetValue(output)!.FullName;
                options.CheckpointDirectory = Path.Combine(folder, "checkpoints");
                options.ResumeFrom = result.GetValue(resume)?.FullName;
                if (options.ResumeFrom is not null && !File.Exists(options.ResumeFrom))
                {
                    throw new CliException($"The checkpoint '{options.ResumeFrom}' does not exist.");
                }

                NetworkConfig config = network.Read(result, recipe, request.HasAttributes, request.Points);
                LoadedDataset data = DatasetLoading.Load(request, logger);
                CommandRunner.ReportProblems(data.Problems);
                return await TrainAsync(data, config, options, folder, logger, token);
            }));
        return command;
    }

    public static async Task<int> TrainAsync(
        LoadedDataset data, NetworkConfig config, TrainerOptions options, string folder, ILogger logger,
        CancellationToken token)
    {
        TrainingOutcome outcome = await RunAsync(data, config, options, folder, logger, token);
        TrainingResult result = outcome.Result;
        if (result.Cancelled)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Interrupted. Checkpoint: {result.LastCheckpoint ?? "none"}. " +
                $"Resume with --resume {result.LastCheckpoint}"));
            return ExitCodes.Interrupted;
        }

        double? best = result.History.FirstOrDefault(e => e.Epoch == result.BestEpoch)?.ValidationInterOcularError;
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Best epoch {result.BestEpoch}: validation error {TrainingDisplay.Percent(best)} of the inter-ocular " +
            $"distance; {result.TrainingFacesPerSecond:F0} faces/s; {result.Duration.TotalSeconds:F0} s.")));
        AnsiConsole.MarkupLine(Markup.Escape($"Wrote {outcome.ModelPath}, metrics.json and curves.png in {folder}"));
        return ExitCodes.Success;
    }

    /// <summary>Trains one model and writes model.mtl (unless interrupted), metrics.json and curves.png.</summary>
    /// <param name="loaders">Makes the loaders for a model; <see langword="null"/> decodes the data afresh.</param>
    public static async Task<TrainingOutcome> RunAsync(
        LoadedDataset data, NetworkConfig config, TrainerOptions options, string folder, ILogger logger,
        CancellationToken token, string? title = null, Func<Trainer, MultiTaskNetwork, Loaders>? loaders = null)
    {
        var runtime = new TorchRuntimeOptions { Device = options.Device, CpuThreads = options.CpuThreads };
        TorchRuntime.Initialize(runtime, logger);
        torch.random.manual_seed(options.Seed);
        using LandmarkModel model = LandmarkModel.Create(config, data.Schema, options.CropPadding, data.BoxPolicy);
        var trainer = new Trainer(options, logger);
        var clock = Stopwatch.StartNew();
        Loaders pair = loaders?.Invoke(trainer, model.Network) ?? new Loaders(trainer.CreateLoaders(
            model.Network, data.Samples, null, TrainingDisplay.DecodeProgress(data.Kind.ToString().ToLowerInvariant()),
            token));
        double decodeSeconds = clock.Elapsed.TotalSeconds;

        TrainingResult result = await TrainingDisplay.RunAsync(
            title ?? $"{config.Preset}/{config.Architecture}", options.Epochs,
            progress => trainer.FitAsync(model.Network, pair.Training, pair.Validation, progress, token));

        Directory.CreateDirectory(folder);
        string modelPath = Path.Combine(folder, "model.mtl");
        var metrics = Metrics.From(result, config, options, data, decodeSeconds);
        if (result.History.Count > 0)
        {
            Plots.TrainingCurves(result.History, Path.Combine(folder, "curves.png"));
        }

        Json.Write(Path.Combine(folder, "metrics.json"), metrics);
        if (!result.Cancelled)
        {
            model.Save(modelPath, metrics, logger);
        }

        return new TrainingOutcome(result, metrics, modelPath);
    }
}

/// <summary>A training run's result, its metrics.json, and where its model was (or would have been) saved.</summary>
internal sealed record TrainingOutcome(TrainingResult Result, Metrics Metrics, string ModelPath);

/// <summary>The training loader and the validation loader (or null) of a run.</summary>
internal sealed record Loaders(FaceBatchLoader Training, FaceBatchLoader? Validation)
{
    public Loaders((FaceBatchLoader Training, FaceBatchLoader? Validation) pair)
        : this(pair.Training, pair.Validation)
    {
    }
}
