using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Data.Preprocessing;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using TorchSharp;

namespace MultiTask.Landmarks.Training;

/// <summary>
/// Trains a <see cref="MultiTaskNetwork"/> on face samples: shuffled augmented batches, the multi-task loss, the
/// network's own regularization, a learning-rate schedule, validation, early stopping, checkpoints and resume.
/// </summary>
/// <remarks>
/// One trainer may train several models one after another; one model is trained by at most one fit at a time.
/// Every step runs in a dispose scope, so native memory stays flat over any number of epochs.
/// </remarks>
public sealed partial class Trainer
{
    private static readonly ConditionalWeakTable<MultiTaskNetwork, object> ModelsInTraining = new();
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="Trainer"/> class.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public Trainer(TrainerOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new TrainerOptions();
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Gets the callbacks invoked at the end of each batch and epoch.</summary>
    public IList<ITrainingCallback> Callbacks { get; } = new List<ITrainingCallback>();

    /// <summary>
    /// Decodes and crops the samples once into loaders that fit <paramref name="model"/>'s input, holding out a
    /// seeded validation split when <paramref name="validation"/> is <see langword="null"/> and
    /// <see cref="TrainerOptions.ValidationFraction"/> is positive.
    /// </summary>
    /// <param name="model">The model whose input size and channels the crops take.</param>
    /// <param name="training">The training samples.</param>
    /// <param name="validation">The validation samples, or <see langword="null"/>.</param>
    /// <param name="progress">Reports of the decode pass, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the decode pass.</param>
    /// <returns>The training loader and the validation loader (or <see langword="null"/>).</returns>
    public (FaceBatchLoader Training, FaceBatchLoader? Validation) CreateLoaders(
        MultiTaskNetwork model,
        IReadOnlyList<FaceSample> training,
        IReadOnlyList<FaceSample>? validation = null,
        IProgress<LoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        Options.Validate();
        if (validation is null && Options.ValidationFraction > 0)
        {
            (training, validation) = ValidationSplit.Split(training, Options.ValidationFraction, Options.Seed);
        }

        CropOptions crop = CropFor(model, Options.CropPadding);
        var trainingOptions = new FaceBatchLoaderOptions
        {
            Crop = crop,
            Augmentation = Options.Augmentation,
            BatchSize = Options.BatchSize,
            Seed = Options.Seed,
            DegreeOfParallelism = Options.DecodeParallelism,
            BatchParallelism = Options.BatchParallelism,
        };
        FaceBatchLoader trainingLoader = FaceBatchLoader.Create(
            training, Options.Schema, trainingOptions, progress, logger, cancellationToken);
        FaceBatchLoader? validationLoader = validation is { Count: > 0 }
            ? FaceBatchLoader.Create(validation, Options.Schema, new FaceBatchLoaderOptions
            {
                Crop = crop,
                Augmentation = null,
                BatchSize = Math.Max(Options.BatchSize, 256),
                Seed = Options.Seed,
                DegreeOfParallelism = Options.DecodeParallelism,
                BatchParallelism = Options.BatchParallelism,
            }, progress, logger, cancellationToken)
            : null;
        return (trainingLoader, validationLoader);
    }

    /// <summary>Trains <paramref name="model"/> on samples: decodes them once, then runs
    /// <see cref="FitAsync(MultiTaskNetwork, FaceBatchLoader, FaceBatchLoader?, IProgress{TrainingProgress}?,
    /// CancellationToken)"/>.</summary>
    /// <param name="model">The model; it is moved to the chosen device and trained in place.</param>
    /// <param name="training">The training samples.</param>
    /// <param name="validation">The validation samples, or <see langword="null"/> for a seeded split of the training
    /// samples (see <see cref="TrainerOptions.ValidationFraction"/>).</param>
    /// <param name="progress">Per-batch and per-epoch reports, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run after the current batch, writing a checkpoint when a
    /// checkpoint folder is set.</param>
    /// <returns>The run's history.</returns>
    public Task<TrainingResult> FitAsync(
        MultiTaskNetwork model,
        IReadOnlyList<FaceSample> training,
        IReadOnlyList<FaceSample>? validation = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        return Task.Factory.StartNew(
            () =>
            {
                (FaceBatchLoader trainingLoader, FaceBatchLoader? validationLoader) =
                    CreateLoaders(model, training, validation, null, cancellationToken);
                return FitAsync(model, trainingLoader, validationLoader, progress, cancellationToken);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>Trains <paramref name="model"/> on batches from loaders made by <see cref="CreateLoaders"/> (or
    /// built directly with crops that fit the model's input).</summary>
    /// <param name="model">The model; it is moved to the chosen device and trained in place.</param>
    /// <param name="training">The training loader.</param>
    /// <param name="validation">The validation loader, or <see langword="null"/> to train without validation.</param>
    /// <param name="progress">Per-batch and per-epoch reports, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run after the current batch, writing a checkpoint when a
    /// checkpoint folder is set.</param>
    /// <returns>The run's history.</returns>
    /// <exception cref="InvalidOperationException">The model is already being trained by another fit.</exception>
    /// <exception cref="ArgumentException">A loader's crops do not fit the model's input.</exception>
    public Task<TrainingResult> FitAsync(
        MultiTaskNetwork model,
        FaceBatchLoader training,
        FaceBatchLoader? validation = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        Options.Validate();
        CheckFits(model, training, nameof(training));
        if (validation is not null)
        {
            CheckFits(model, validation, nameof(validation));
        }

        lock (ModelsInTraining)
        {
            if (ModelsInTraining.TryGetValue(model, out _))
            {
                throw new InvalidOperationException(
                    "This model is already being trained by another FitAsync call; " +
                    "wait for it to finish or train a copy.");
            }

            ModelsInTraining.Add(model, this);
        }

        return Task.Factory.StartNew(
            () =>
            {
                try
                {
                    // libtorch's dispose scopes are per thread: the whole run stays on this one.
                    using var run = new TrainingRun(this, model, training, validation, progress, cancellationToken);
                    return run.Run();
                }
                finally
                {
                    lock (ModelsInTraining)
                    {
                        ModelsInTraining.Remove(model);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Gets the crop options that fit a model's input: its size and channels, with the given padding.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="padding">The padding around the face box, as a fraction of its size per side.</param>
    /// <returns>The crop options.</returns>
    public static CropOptions CropFor(MultiTaskNetwork model, float padding)
    {
        ArgumentNullException.ThrowIfNull(model);
        long[] shape = model.InputShape;
        return new CropOptions
        {
            Width = (int)shape[2],
            Height = (int)shape[1],
            Grayscale = shape[0] == 1,
            Padding = padding,
        };
    }

    internal ILogger Logger => logger;

    private static void CheckFits(MultiTaskNetwork model, FaceBatchLoader loader, string name)
    {
        long[] shape = model.InputShape;
        CropOptions crop = loader.Options.Crop;
        if (crop.Channels != shape[0] || crop.Height != shape[1] || crop.Width != shape[2])
        {
            throw new ArgumentException(
                $"The {name} loader makes {crop.Channels}x{crop.Height}x{crop.Width} crops but the model expects " +
                $"{string.Join("x", shape)}; build the loader with Trainer.CropFor(model, padding).", name);
        }
    }
}
