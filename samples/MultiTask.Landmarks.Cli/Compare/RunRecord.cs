using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Modules;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>
/// OUT/runs/NAME-seedN/run.json: one finished run of a comparison, with the keys of the settings that made it. A
/// rerun with the same training key reuses the trained model; with the same evaluation key too, the whole record.
/// </summary>
internal sealed record RunRecord(
    string TrainingKey,
    string EvaluationKey,
    string Variant,
    int Seed,
    string Architecture,
    long Parameters,
    double TrainingSeconds,
    double TrainSamplesPerSecond,
    int BestEpoch,
    int EpochsCompleted,
    string EvaluationSet,
    EvaluationReport Evaluation,
    IReadOnlyDictionary<string, double> ValidationAccuracies,
    IReadOnlyList<CrossStitchWeights>? CrossStitch)
{
    public const string FileName = "run.json";

    /// <summary>Gets an attribute's accuracy on the evaluation set, or (when that set has no labels for it) on the
    /// validation split at the best epoch.</summary>
    public double? AttributeAccuracy(string name, out bool fromValidation)
    {
        fromValidation = false;
        if (Evaluation.Attributes.TryGetValue(name, out AttributeReport? report) && report.Accuracy is double value)
        {
            return value;
        }

        fromValidation = ValidationAccuracies.TryGetValue(name, out double validation);
        return fromValidation ? validation : null;
    }
}

/// <summary>OUT/runs/NAME-seedN/training.json: written once a run's model is saved, so that a rerun skips it.</summary>
internal sealed record TrainingMarker(string TrainingKey, double TrainingSeconds, int BestEpoch, int EpochsCompleted)
{
    public const string FileName = "training.json";
}
