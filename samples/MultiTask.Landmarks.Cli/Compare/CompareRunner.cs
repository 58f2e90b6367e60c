using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Cli.Commands;
using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Evaluation;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Training;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>
/// Trains and evaluates every variant for every seed, one run at a time, each in OUT/runs/NAME-seedN/. A run that
/// finished under the same settings is reused, an interrupted one resumes from its last checkpoint, so a stopped
/// comparison continues where it was when the same command is run again.
/// </summary>
internal sealed class CompareRunner(CompareSettings settings, ILogger logger)
{
    private const string KeyFileName = "run-key.json";

    // The decoded crops depend only on the seed (validation split) and the input shape, so the variants of one seed
    // share them instead of decoding the data again.
    private readonly Dictionary<string, Loaders> loaders = new(StringComparer.Ordinal);
    private CancellationToken cancellation;

    /// <summary>Runs everything; returns the finished records and whether the user interrupted.</summary>
    public async Task<(IReadOnlyList<RunRecord> Records, bool Interrupted)> RunAsync(CancellationToken token)
    {
        cancellation = token;
        var records = new List<RunRecord>();
        int total = settings.Seeds.Count * settings.Variants.Count, index = 0;
        foreach (int seed in settings.Seeds)
        {
            loaders.Clear();
            foreach (VariantSpec variant in settings.Variants)
            {
                index++;
                RunRecord? record = await RunOneAsync(variant, seed, $"{variant.Name} seed {seed} ({index}/{total})",
                    token);
                if (record is null)
                {
                    return (records, true);
                }

                records.Add(record);
            }
        }

        loaders.Clear();
        return (records, false);
    }

    private async Task<RunRecord?> RunOneAsync(VariantSpec variant, int seed, string title, CancellationToken token)
    {
        string folder = Path.Combine(settings.Folder, "runs", $"{variant.FolderName}-seed{seed}");
        string modelPath = Path.Combine(folder, "model.mtl");
        string trainingKey = settings.TrainingKey(variant, seed);
        string evaluationKey = $"{settings.Evaluation.Name}|{trainingKey}";

        RunRecord? existing = Json.TryRead<RunRecord>(Path.Combine(folder, RunRecord.FileName));
        if (existing is not null && existing.TrainingKey == trainingKey && existing.EvaluationKey == evaluationKey
            && File.Exists(modelPath))
        {
            AnsiConsole.MarkupLine(Markup.Escape($"{title}: reusing the finished run in {folder}"));
            return existing;
        }

        TrainingMarker? marker = Json.TryRead<TrainingMarker>(Path.Combine(folder, TrainingMarker.FileName));
        if (marker?.TrainingKey != trainingKey || !File.Exists(modelPath))
        {
            if (!await TrainAsync(variant, seed, folder, trainingKey, title, token))
            {
                return null;
            }
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape($"{title}: reusing the trained model in {folder}"));
        }

        RunRecord record = Evaluate(variant, seed, folder, trainingKey, evaluationKey, token);
        Json.Write(Path.Combine(folder, RunRecord.FileName), record);
        return record;
    }

    private async Task<bool> TrainAsync(
        VariantSpec variant, int seed, string folder, string trainingKey, string title, CancellationToken token)
    {
        // A folder made under other settings is never overwritten silently: it may be another study's result.
        string keyPath = Path.Combine(folder, KeyFileName);
        string? folderKey = File.Exists(keyPath) ? File.ReadAllText(keyPath) : null;
        if (folderKey is not null && folderKey != trainingKey)
        {
            throw new CliException($"'{folder}' holds a run made with other settings; delete it or choose another " +
                                   "--out to compare with these.");
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(keyPath, trainingKey);
        TrainerOptions options = settings.OptionsFor(variant, seed, folder);
        string last = Path.Combine(options.CheckpointDirectory!, "last.ckpt");
        if (folderKey is not null && File.Exists(last))
        {
            options.ResumeFrom = last;
            AnsiConsole.MarkupLine(Markup.Escape($"{title}: resuming from {last}"));
        }

        NetworkConfig config = NetworkOptions.Create(settings.Preset, variant.Architecture, variant.SplitAt,
            settings.Tasks, variant.MutualRegularization, settings.Data.HasAttributes, settings.Data.Schema.Count,
            settings.TaskGroups, variant.StitchLearningRate);
        TrainingOutcome outcome = await TrainCommand.RunAsync(
            settings.Data, config, options, folder, logger, token, title, SharedLoaders);
        if (outcome.Result.Cancelled)
        {
            return false;
        }

        Json.Write(Path.Combine(folder, TrainingMarker.FileName), new TrainingMarker(
            trainingKey, outcome.Metrics.TrainingSeconds, outcome.Result.BestEpoch, outcome.Result.History.Count));
        return true;
    }

    private Loaders SharedLoaders(Trainer trainer, MultiTaskNetwork network)
    {
        string key = $"{trainer.Options.Seed}|{string.Join('x', network.InputShape)}";
        if (!loaders.TryGetValue(key, out Loaders? pair))
        {
            pair = new Loaders(trainer.CreateLoaders(network, settings.Data.Samples, null,
                TrainingDisplay.DecodeProgress(settings.Data.Kind.ToString().ToLowerInvariant()), cancellation));
            loaders[key] = pair;
        }

        return pair;
    }

    private RunRecord Evaluate(
        VariantSpec variant, int seed, string folder, string trainingKey, string evaluationKey,
        CancellationToken token)
    {
        Metrics metrics = Json.TryRead<Metrics>(Path.Combine(folder, "metrics.json"))
            ?? throw new CliException($"'{folder}' has a model but no readable metrics.json; delete the folder.");
        IReadOnlyList<FaceSample> faces =
            settings.Evaluation.For(settings.Data, seed, settings.Template.ValidationFraction);
        using LandmarkPredictor predictor = LandmarkPredictor.Load(
            Path.Combine(folder, "model.mtl"), settings.Device, logger);
        EvaluationResult evaluation = ModelEvaluator.Evaluate(
            predictor, faces, normaliseByBox: settings.Evaluation.RealBoxes, cancellationToken: token);
        IReadOnlyList<CrossStitchWeights>? stitches = predictor.Model.Network is CrossStitchNetwork network
            ? network.MixingWeights()
            : null;
        EpochMetrics? best = metrics.Epochs.FirstOrDefault(e => e.Epoch == metrics.BestEpoch);
        return new RunRecord(
            trainingKey,
            evaluationKey,
            variant.Name,
            seed,
            metrics.Architecture,
            metrics.Parameters,

            // The epochs' own times add up across a resume, where the run's wall time would count only the last part.
            metrics.Epochs.Sum(e => e.Seconds),
            metrics.TrainSamplesPerSecond,
            metrics.BestEpoch,
            metrics.Epochs.Count,
            settings.Evaluation.IsValidationSplit ? $"validation split of seed {seed}" : settings.Evaluation.Name,
            EvaluationReport.From(evaluation, predictor.Model.Schema),
            best?.ValidationAccuracies ?? new Dictionary<string, double>(),
            stitches);
    }
}
