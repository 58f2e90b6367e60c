using System.CommandLine;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>The options of a training run, shared by train and compare (compare sets the seed, the weighting and
/// task-wise stopping per run, so it leaves those three out).</summary>
internal sealed class TrainingOptionsBinder
{
    private bool variantOptions = true;

    public Option<int?> Epochs { get; } = new("--epochs")
    {
        Description = "Epochs to train. Default: the dataset's recipe.",
    };

    public Option<int?> BatchSize { get; } = new("--batch-size")
    {
        Description = "Faces per batch. Default: the recipe's.",
    };

    public Option<double?> LearningRate { get; } = new("--lr")
    {
        Description = "Base learning rate of Adam. Default: the recipe's.",
    };

    public Option<int> Seed { get; } = new("--seed")
    {
        Description = "Seed of initialisation, shuffles, augmentation and the validation split.",
        DefaultValueFactory = _ => 42,
    };

    public Option<string> Device { get; } = new Option<string>("--device")
    {
        Description = "auto, cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "CPU threads for libtorch. Default: one per core.",
    };

    public Option<int> StepsPerCollection { get; } = new("--steps-per-collection")
    {
        Description = "Steps between the generation-0 collections that keep TorchSharp's tensor wrappers from " +
                      "fragmenting the native heap; 0 leaves collections to .NET.",
        DefaultValueFactory = _ => StepCollector.DefaultStepsPerCollection,
    };

    public Option<string> Weighting { get; } = new Option<string>("--weighting")
    {
        Description = "How task losses are weighed: fixed, uncertainty (Kendall et al.), dwa (dynamic weight " +
                      "average) or gradnorm.",
        DefaultValueFactory = _ => "fixed",
    }.AcceptOnlyFromAmong("fixed", "uncertainty", "dwa", "gradnorm");

    public Option<bool> TaskWiseStopping { get; } = new("--task-wise-stopping")
    {
        Description = "Stop auxiliary tasks by the TCDCN criterion once they stop helping.",
    };

    public Option<int?> Patience { get; } = new("--patience")
    {
        Description = "Stop after this many epochs without a better validation error.",
    };

    public Option<double> ValidationFraction { get; } = new("--validation-fraction")
    {
        Description = "Share of the training faces held out (seeded) for validation and model selection.",
        DefaultValueFactory = _ => 0.1,
    };

    public static TaskWeightingKind ParseWeighting(string text) => text switch
    {
        "fixed" => TaskWeightingKind.Fixed,
        "uncertainty" => TaskWeightingKind.Uncertainty,
        "dwa" => TaskWeightingKind.DynamicWeightAverage,
        "gradnorm" => TaskWeightingKind.GradNorm,
        _ => throw new CliException($"Unknown weighting '{text}'; choose fixed, uncertainty, dwa or gradnorm."),
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="includeVariantOptions">Whether to add --seed, --weighting and --task-wise-stopping.</param>
    public void AddTo(Command command, bool includeVariantOptions = true)
    {
        variantOptions = includeVariantOptions;
        Option[] shared =
        {
            Epochs, BatchSize, LearningRate, Device, Threads, Patience, ValidationFraction, StepsPerCollection,
        };
        Option[] variant = { Seed, Weighting, TaskWiseStopping };
        foreach (Option option in includeVariantOptions ? shared.Concat(variant) : shared)
        {
            command.Options.Add(option);
        }
    }

    public TrainerOptions Read(ParseResult result, Recipe recipe)
    {
        var options = new TrainerOptions
        {
            Epochs = result.GetValue(Epochs) ?? recipe.Epochs,
            BatchSize = result.GetValue(BatchSize) ?? recipe.BatchSize,
            LearningRate = result.GetValue(LearningRate) ?? recipe.LearningRate,
            Device = ParseDevice(result.GetValue(Device)!),
            CpuThreads = result.GetValue(Threads),
            EarlyStoppingPatience = result.GetValue(Patience),
            ValidationFraction = result.GetValue(ValidationFraction),
            CropPadding = recipe.Padding,
            StepsPerCollection = result.GetValue(StepsPerCollection),
        };
        if (variantOptions)
        {
            options.Seed = result.GetValue(Seed);
            options.Weighting = ParseWeighting(result.GetValue(Weighting)!);
            options.TaskWiseEarlyStopping = result.GetValue(TaskWiseStopping);
        }

        Validate(options);
        return options;
    }

    /// <summary>Checks the options and turns the library's message into a one-line error.</summary>
    public static void Validate(TrainerOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            // Name the option the user typed rather than the library's property.
            string message = exception.Message.Split(Environment.NewLine)[0];
            int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            message = parameter > 0 ? message[..parameter] : message;
            string? option = exception.ParamName switch
            {
                nameof(TrainerOptions.Epochs) => "--epochs",
                nameof(TrainerOptions.BatchSize) => "--batch-size",
                nameof(TrainerOptions.LearningRate) => "--lr",
                nameof(TrainerOptions.ValidationFraction) => "--validation-fraction",
                nameof(TrainerOptions.EarlyStoppingPatience) => "--patience",
                nameof(TrainerOptions.CpuThreads) => "--threads",
                nameof(TrainerOptions.StepsPerCollection) => "--steps-per-collection",
                _ => null,
            };
            throw new CliException(option is null
                ? message
                : message.Replace($"TrainerOptions.{exception.ParamName}", option, StringComparison.Ordinal)
                    .TrimEnd('.') + $", not {exception.ActualValue}.");
        }
    }

    public static DeviceRequest ParseDevice(string text)
    {
        try
        {
            return DeviceRequest.Parse(text);
        }
        catch (FormatException exception)
        {
            throw new CliException($"--device: {exception.Message}");
        }
    }
}
