using System.CommandLine;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>The options of a training run, shared by train and compare.</summary>
internal sealed class TrainingOptionsBinder
{
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Epochs to train. Default: the dataset's recipe." };

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Faces per batch. Default: the recipe's." };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Base learning rate of Adam. Default: the recipe's." };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of initialisation, shuffles, augmentation and the validation split.", DefaultValueFactory = _ => 42 };

    public Option<string> Device { get; } = new Option<string>("--device")
    {
        Description = "auto, cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int?> Threads { get; } = new("--threads") { Description = "CPU threads for libtorch. Default: one per core." };

    public Option<string> Weighting { get; } = new Option<string>("--weighting")
    {
        Description = "How task losses are weighed: fixed, uncertainty (Kendall et al.), dwa (dynamic weight average) or gradnorm.",
        DefaultValueFactory = _ => "fixed",
    }.AcceptOnlyFromAmong("fixed", "uncertainty", "dwa", "gradnorm");

    public Option<bool> TaskWiseStopping { get; } = new("--task-wise-stopping")
    {
        Description = "Stop auxiliary tasks by the TCDCN criterion once they stop helping.",
    };

    public Option<int?> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better validation error." };

    public Option<double> ValidationFraction { get; } = new("--validation-fraction")
    {
        Description = "Share of the training faces held out (seeded) for validation and model selection.",
        DefaultValueFactory = _ => 0.1,
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Epochs, BatchSize, LearningRate, Seed, Device, Threads, Weighting, TaskWiseStopping, Patience, ValidationFraction })
        {
            command.Options.Add(option);
        }
    }

    public TrainerOptions Read(ParseResult result, Recipe recipe)
    {
        DeviceRequest device;
        try
        {
            device = DeviceRequest.Parse(result.GetValue(Device)!);
        }
        catch (FormatException exception)
        {
            throw new CliException($"--device: {exception.Message}");
        }

        var options = new TrainerOptions
        {
            Epochs = result.GetValue(Epochs) ?? recipe.Epochs,
            BatchSize = result.GetValue(BatchSize) ?? recipe.BatchSize,
            LearningRate = result.GetValue(LearningRate) ?? recipe.LearningRate,
            Seed = result.GetValue(Seed),
            Device = device,
            CpuThreads = result.GetValue(Threads),
            Weighting = result.GetValue(Weighting) switch
            {
                "uncertainty" => TaskWeightingKind.Uncertainty,
                "dwa" => TaskWeightingKind.DynamicWeightAverage,
                "gradnorm" => TaskWeightingKind.GradNorm,
                _ => TaskWeightingKind.Fixed,
            },
            TaskWiseEarlyStopping = result.GetValue(TaskWiseStopping),
            EarlyStoppingPatience = result.GetValue(Patience),
            ValidationFraction = result.GetValue(ValidationFraction),
            CropPadding = recipe.Padding,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new CliException(exception.Message.Split(Environment.NewLine)[0]);
        }

        return options;
    }
}
