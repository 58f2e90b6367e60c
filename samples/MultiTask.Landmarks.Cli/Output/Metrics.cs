using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Cli.Output;

/// <summary>The content of metrics.json (field names are a contract: parameters, trainSamplesPerSecond, epochs).
/// </summary>
internal sealed record Metrics(
    string Dataset,
    string Preset,
    string Architecture,
    IReadOnlyList<string> Tasks,
    long Parameters,
    double TrainSamplesPerSecond,
    int TrainingFaces,
    int ValidationFaces,
    int BestEpoch,
    double? BestValidationInterOcularError,
    bool Cancelled,
    bool StoppedEarly,
    double DecodeSeconds,
    double TrainingSeconds,
    int Seed,
    int EpochsPlanned,
    int BatchSize,
    double LearningRate,
    string Weighting,
    double MutualRegularization,
    double StitchLearningRateMultiplier,
    IReadOnlyList<EpochMetrics> Epochs)
{
    public static Metrics From(
        TrainingResult result, NetworkConfig config, TrainerOptions options, LoadedDataset data,
        double decodeSeconds) => new(
        data.Kind.ToString().ToLowerInvariant(),
        config.Preset,
        config.Architecture.ToString(),
        config.ResolveTasks().Select(t => t.Name).ToArray(),
        result.Parameters,
        result.TrainingFacesPerSecond,
        result.Faces.Training,
        result.Faces.Validation,
        result.BestEpoch,
        Json.Finite(result.History.FirstOrDefault(e => e.Epoch == result.BestEpoch)?.ValidationInterOcularError),
        result.Cancelled,
        result.StoppedEarly,
        decodeSeconds,
        result.Duration.TotalSeconds,
        options.Seed,
        options.Epochs,
        options.BatchSize,
        options.LearningRate,
        options.Weighting.ToString(),
        config.MutualRegularization,
        config.CrossStitchLearningRateMultiplier,
        result.History.Select(EpochMetrics.From).ToArray());
}

/// <summary>One epoch in metrics.json.</summary>
internal sealed record EpochMetrics(
    int Epoch,
    double TrainingLoss,
    IReadOnlyDictionary<string, double> TrainingLosses,
    IReadOnlyDictionary<string, double> ValidationLosses,
    double? ValidationInterOcularError,
    double? ValidationCropWidthError,
    IReadOnlyDictionary<string, double> ValidationAccuracies,
    IReadOnlyList<string> StoppedTasks,
    double LearningRateFactor,
    double Seconds,
    double TrainSamplesPerSecond)
{
    public static EpochMetrics From(EpochSummary e) => new(
        e.Epoch, e.TrainingLoss, e.TrainingLosses, e.ValidationLosses, Json.Finite(e.ValidationInterOcularError),
        Json.Finite(e.ValidationCropWidthError), e.ValidationAccuracies, e.StoppedTasks, e.LearningRateFactor,
        e.Duration.TotalSeconds, e.TrainingFacesPerSecond);
}
