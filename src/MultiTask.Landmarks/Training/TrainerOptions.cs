using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Training;

/// <summary>Options for <see cref="Trainer"/>. The defaults are the recipe that trains every architecture of the
/// library stably on MTFL-sized data.</summary>
public sealed class TrainerOptions
{
    /// <summary>Gets or sets the number of epochs.</summary>
    /// <value>The default is 30.</value>
    public int Epochs { get; set; } = 30;

    /// <summary>Gets or sets the batch size.</summary>
    /// <value>The default is 64.</value>
    public int BatchSize { get; set; } = 64;

    /// <summary>Gets or sets the optimizer.</summary>
    /// <value>The default is <see cref="OptimizerKind.Adam"/>.</value>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Gets or sets the base learning rate.</summary>
    /// <value>The default is 0.001 (the 2016 study's 0.01 made Adam diverge on cross-stitch networks).</value>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Gets or sets the momentum of <see cref="OptimizerKind.Sgd"/>.</summary>
    /// <value>The default is 0.9.</value>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Gets or sets the L2 weight decay.</summary>
    /// <value>The default is 0.</value>
    public double WeightDecay { get; set; }

    /// <summary>Gets or sets the learning-rate schedule after warm-up.</summary>
    /// <value>The default is <see cref="LearningRateScheduleKind.Cosine"/>.</value>
    public LearningRateScheduleKind Schedule { get; set; } = LearningRateScheduleKind.Cosine;

    /// <summary>Gets or sets the epochs of linear learning-rate warm-up.</summary>
    /// <value>The default is 1.</value>
    public double WarmupEpochs { get; set; } = 1;

    /// <summary>Gets or sets the epochs between decays of the step schedule.</summary>
    /// <value>The default is 10.</value>
    public int StepEpochs { get; set; } = 10;

    /// <summary>Gets or sets the decay factor of the step schedule.</summary>
    /// <value>The default is 0.1.</value>
    public double StepGamma { get; set; } = 0.1;

    /// <summary>Gets or sets the global gradient-norm limit, or <see langword="null"/> for no clipping.</summary>
    /// <value>The default is 5.</value>
    public double? GradientClipNorm { get; set; } = 5;

    /// <summary>Gets or sets the number of training steps between the generation-0 garbage collections that keep
    /// TorchSharp's tensor wrappers from fragmenting the native heap (<see cref="Runtime.StepCollector"/>), or 0 to
    /// leave collections to the .NET runtime.</summary>
    /// <value>The default is <see cref="Runtime.StepCollector.DefaultStepsPerCollection"/> (16).</value>
    public int StepsPerCollection { get; set; } = Runtime.StepCollector.DefaultStepsPerCollection;

    /// <summary>Gets or sets the learning-rate multiplier of the cross-stitch weights, or <see langword="null"/> to
    /// take the network configuration's.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public double? CrossStitchLearningRateMultiplier { get; set; }

    /// <summary>Gets or sets the device.</summary>
    /// <value>The default is <see cref="DeviceRequest.Auto"/>.</value>
    public DeviceRequest Device { get; set; } = DeviceRequest.Auto;

    /// <summary>Gets or sets libtorch's CPU thread count, or <see langword="null"/> for libtorch's choice.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? CpuThreads { get; set; }

    /// <summary>Gets or sets the seed of the shuffles, augmentation, validation split and libtorch.</summary>
    /// <value>The default is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets a value indicating whether libtorch must use deterministic algorithms, so that a run
    /// (and an interrupted and resumed run) on the CPU gives bit-identical weights.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Deterministic { get; set; }

    /// <summary>Gets or sets the share of the training set held out for validation when no validation set is
    /// given; 0 trains without validation.</summary>
    /// <value>The default is 0.1.</value>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the number of epochs without a better validation landmark error after which training
    /// stops, or <see langword="null"/> to run every epoch.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>Gets or sets a value indicating whether the model ends with the weights of its best validation
    /// epoch rather than its last.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether auxiliary tasks stop contributing by the TCDCN criterion.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool TaskWiseEarlyStopping { get; set; }

    /// <summary>Gets or sets the tendency window <c>k</c> of task-wise early stopping.</summary>
    /// <value>The default is 5.</value>
    public int TaskWiseWindow { get; set; } = 5;

    /// <summary>Gets or sets the threshold <c>ε</c> of task-wise early stopping.</summary>
    /// <value>The default is 0.5.</value>
    public double TaskWiseThreshold { get; set; } = 0.5;

    /// <summary>Gets or sets the landmark loss.</summary>
    /// <value>The default is <see cref="LandmarkLossKind.Mse"/> on the crop's normalised frame.</value>
    public LandmarkLossKind LandmarkLoss { get; set; } = LandmarkLossKind.Mse;

    /// <summary>Gets or sets how task losses are weighed against each other.</summary>
    /// <value>The default is <see cref="TaskWeightingKind.Fixed"/> (each task's loss weight).</value>
    public TaskWeightingKind Weighting { get; set; } = TaskWeightingKind.Fixed;

    /// <summary>Gets or sets the landmark schema, used to mirror points under flips.</summary>
    /// <value>The default is <see cref="LandmarkSchema.Mtfl5"/>.</value>
    public LandmarkSchema Schema { get; set; } = LandmarkSchema.Mtfl5;

    /// <summary>Gets or sets the padding of the face box when cropping, as a fraction of its size per side.</summary>
    /// <value>The default is 0.1.</value>
    public float CropPadding { get; set; } = 0.1f;

    /// <summary>Gets or sets the training augmentation, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see cref="AugmentationOptions.Default"/>.</value>
    public AugmentationOptions? Augmentation { get; set; } = AugmentationOptions.Default;

    /// <summary>Gets or sets the folder for checkpoints, or <see langword="null"/> to write none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Gets or sets how often, in epochs, <c>last.ckpt</c> is written (the best epoch always writes
    /// <c>best.ckpt</c>); 0 writes only on cancellation and at the end.</summary>
    /// <value>The default is 1.</value>
    public int CheckpointEvery { get; set; } = 1;

    /// <summary>Gets or sets a checkpoint to resume from, or <see langword="null"/> to start afresh.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ResumeFrom { get; set; }

    /// <summary>Gets or sets a folder for TensorBoard scalars, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? TensorBoardDirectory { get; set; }

    /// <summary>Gets or sets the number of threads that decode and crop images.</summary>
    /// <value>The default is the processor count.</value>
    public int DecodeParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets or sets the number of threads that render each training and validation batch (see
    /// <see cref="Data.Loading.FaceBatchLoaderOptions.BatchParallelism"/>: more than 1 pays only where libtorch
    /// leaves cores free).</summary>
    /// <value>The default is 1.</value>
    public int BatchParallelism { get; set; } = 1;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        Check(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "positive");
        Check(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "in [0, 1)");
        Check(WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "not negative");
        Check(WarmupEpochs >= 0, nameof(WarmupEpochs), WarmupEpochs, "not negative");
        Check(GradientClipNorm is null or > 0, nameof(GradientClipNorm), GradientClipNorm, "positive");
        Check(StepsPerCollection >= 0, nameof(StepsPerCollection), StepsPerCollection, "not negative");
        Check(CrossStitchLearningRateMultiplier is null or > 0, nameof(CrossStitchLearningRateMultiplier),
            CrossStitchLearningRateMultiplier, "positive");
        Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
        Check(EarlyStoppingPatience is null or >= 1, nameof(EarlyStoppingPatience), EarlyStoppingPatience,
            "at least 1");
        Check(CheckpointEvery >= 0, nameof(CheckpointEvery), CheckpointEvery, "not negative");
        Check(CpuThreads is null or >= 1, nameof(CpuThreads), CpuThreads, "at least 1");
        Check(DecodeParallelism >= 1, nameof(DecodeParallelism), DecodeParallelism, "at least 1");
        Check(BatchParallelism >= 1, nameof(BatchParallelism), BatchParallelism, "at least 1");
        Check(CropPadding is >= 0 and < 2, nameof(CropPadding), CropPadding, "in [0, 2)");
        ArgumentNullException.ThrowIfNull(Schema);
    }

    private static void Check(bool valid, string name, object? value, string expected)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"TrainerOptions.{name} must be {expected}.");
        }
    }
}
