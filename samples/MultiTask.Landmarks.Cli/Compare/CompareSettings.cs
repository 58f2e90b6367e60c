using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>Everything a comparison holds fixed across its runs: the data, the budget, the seeds, where it writes.
/// </summary>
internal sealed record CompareSettings(
    LoadedDataset Data,
    EvaluationSource Evaluation,
    IReadOnlyList<VariantSpec> Variants,
    IReadOnlyList<int> Seeds,
    TrainerOptions Template,
    string Preset,
    string? Tasks,
    string? TaskGroups,
    string Folder)
{
    public DeviceRequest Device => Template.Device;

    /// <summary>Gets the options of one run: the shared budget, with the variant's weighting and stopping rule.
    /// </summary>
    public TrainerOptions OptionsFor(VariantSpec variant, int seed, string folder) => new()
    {
        Epochs = Template.Epochs,
        BatchSize = Template.BatchSize,
        LearningRate = Template.LearningRate,
        Device = Template.Device,
        CpuThreads = Template.CpuThreads,
        EarlyStoppingPatience = Template.EarlyStoppingPatience,
        ValidationFraction = Template.ValidationFraction,
        CropPadding = Template.CropPadding,
        Seed = seed,
        Weighting = variant.Weighting,
        TaskWiseEarlyStopping = variant.TaskWiseStopping,
        CheckpointDirectory = Path.Combine(folder, "checkpoints"),
    };

    /// <summary>Gets the text that identifies a run's training: a rerun with another key retrains.</summary>
    public string TrainingKey(VariantSpec variant, int seed) => Output.Json.Serialize(new
    {
        dataset = Data.Kind.ToString(),
        source = Data.Source,
        faces = Data.Samples.Count,
        boxPolicy = Data.BoxPolicy.ToString(),
        preset = Preset,
        tasks = Tasks,
        taskGroups = TaskGroups,
        variant = variant.Name,
        seed,
        epochs = Template.Epochs,
        batchSize = Template.BatchSize,
        learningRate = Template.LearningRate,
        patience = Template.EarlyStoppingPatience,
        validationFraction = Template.ValidationFraction,
        padding = Template.CropPadding,
    });
}

/// <summary>The faces a comparison measures its models on: a test list, held-out synthetic faces, or (without
/// either) each seed's validation split.</summary>
internal sealed record EvaluationSource(string Name, IReadOnlyList<FaceSample>? Faces, bool RealBoxes)
{
    public bool IsValidationSplit => Faces is null;

    public IReadOnlyList<FaceSample> For(LoadedDataset data, int seed, double validationFraction) =>
        Faces ?? ValidationSplit.Split(data.Samples, validationFraction, seed).Validation;
}
