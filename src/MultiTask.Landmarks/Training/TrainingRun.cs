using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Training;

/// <summary>One fit: the state of a run from its start (or resume) to its end, on one thread.</summary>
internal sealed partial class TrainingRun : IDisposable
{
    private readonly Trainer trainer;
    private readonly TrainerOptions options;
    private readonly MultiTaskNetwork model;
    private readonly FaceBatchLoader training;
    private readonly FaceBatchLoader? validation;
    private readonly IProgress<TrainingProgress>? progress;
    private readonly CancellationToken cancellation;
    private readonly ILogger logger;
    private readonly IReadOnlyList<TaskSpec> tasks;
    private readonly MultiTaskLoss losses;
    private readonly IReadOnlyList<Parameter> sharedParameters;
    private readonly LearningRateSchedule schedule;
    private readonly TaskWiseEarlyStopping taskStopping;
    private readonly List<(optim.ILearningRateController Group, double BaseRate)> groups = new();
    private readonly StepCollector collector;
    private TrainingState state = new();
    private Dictionary<string, Tensor>? bestWeights;
    private optim.Optimizer? optimizer;
    private Device device = CPU;
    private string? lastCheckpoint;

    public TrainingRun(
        Trainer trainer,
        MultiTaskNetwork model,
        FaceBatchLoader training,
        FaceBatchLoader? validation,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellation)
    {
        this.trainer = trainer;
        options = trainer.Options;
        logger = trainer.Logger;
        this.model = model;
        this.training = training;
        this.validation = validation;
        this.progress = progress;
        this.cancellation = cancellation;
        tasks = model.Tasks;
        losses = new MultiTaskLoss(
            tasks, CreateWeighting(options.Weighting, tasks), new LandmarkLoss { Kind = options.LandmarkLoss });
        sharedParameters = model is ColumnNetwork columns ? columns.LastSharedParameters() : Array.Empty<Parameter>();
        if (options.Weighting == TaskWeightingKind.GradNorm && sharedParameters.Count == 0)
        {
            throw new ArgumentException(
                "GradNorm weighs tasks by their gradients on the last shared layer; this model shares no layer. " +
                "Choose another weighting or share at least one stage.", nameof(model));
        }
        schedule = new LearningRateSchedule(options.Schedule, options.Epochs, options.WarmupEpochs, options.StepEpochs,
            options.StepGamma);
        taskStopping = new TaskWiseEarlyStopping(options.TaskWiseWindow, options.TaskWiseThreshold);
        collector = new StepCollector(options.StepsPerCollection);
    }

    public TrainingResult Run()
    {
        var clock = Stopwatch.StartNew();
        TorchRuntimeInfo runtime = TorchRuntime.Initialize(
            new TorchRuntimeOptions { Device = options.Device, CpuThreads = options.CpuThreads }, logger);
        device = runtime.Device;
        random.manual_seed(options.Seed);
        // TorchSharp 0.107 does not expose use_deterministic_algorithms. On the CPU, libtorch's kernels give
        // bit-identical results for the same inputs and thread count, so fixed seeds and a fixed CpuThreads make a
        // run (and an interrupted and resumed run) reproducible; Deterministic insists on that thread count.
        if (options.Deterministic && options.CpuThreads is null)
        {
            set_num_threads(runtime.CpuThreads);
        }
        model.to(device);
        losses.to(device);
        optimizer = CreateOptimizer();
        if (options.ResumeFrom is not null)
        {
            Resume(options.ResumeFrom);
        }
        else
        {
            state = new TrainingState { Seed = options.Seed, TotalEpochs = options.Epochs };
        }

        long parameters = model.parameters().Sum(p => p.numel());
        string modelName = model.GetName();
        string deviceName = device.ToString();
        TrainingLog.RunStarted(logger, modelName, deviceName, runtime.CpuThreads, parameters, training.Count,
            validation?.Count ?? 0, options.Epochs, options.BatchSize);

        using var board = options.TensorBoardDirectory is null ? null : new BoardWriter(options.TensorBoardDirectory);
        bool cancelled = false, stoppedEarly = false;
        while (state.CompletedEpochs < options.Epochs)
        {
            int epoch = state.CompletedEpochs;
            EpochSummary? summary = RunEpoch(epoch);
            if (summary is null)
            {
                cancelled = true;
                break;
            }

            board?.Write(summary);
            if (EndEpoch(summary))
            {
                stoppedEarly = state.CompletedEpochs < options.Epochs;
                break;
            }
        }

        if (!cancelled && options.RestoreBestWeights && bestWeights is not null
            && state.BestEpoch != state.CompletedEpochs)
        {
            model.load_state_dict(bestWeights);
            TrainingLog.BestWeightsRestored(logger, state.BestEpoch);
        }

        DisposeBestWeights();
        double trainingSeconds = state.History.Sum(e => e.Duration.TotalSeconds);
        double faces = state.History.Sum(e => e.TrainingFacesPerSecond * e.Duration.TotalSeconds);
        return new TrainingResult
        {
            History = state.History.ToArray(),
            BestEpoch = bestWeights is null && state.BestEpoch == 0 ? state.CompletedEpochs : state.BestEpoch,
            StoppedEarly = stoppedEarly,
            Cancelled = cancelled,
            Parameters = parameters,
            Faces = (training.Count, validation?.Count ?? 0),
            Duration = clock.Elapsed,
            TrainingFacesPerSecond = trainingSeconds > 0 ? faces / trainingSeconds : 0,
            LastCheckpoint = lastCheckpoint,
        };
    }

    private optim.Optimizer CreateOptimizer()
    {
        var boosted = new HashSet<Parameter>(model.BoostedParameters(), ReferenceEqualityComparer.Instance);
        List<Parameter> regular =
            model.parameters().Where(p => !boosted.Contains(p)).Concat(losses.parameters()).ToList();
        double multiplier = options.CrossStitchLearningRateMultiplier
            ?? (model is ColumnNetwork columns ? columns.Config.CrossStitchLearningRateMultiplier : 1);
        double rate = options.LearningRate;
        optim.Optimizer created = options.Optimizer == OptimizerKind.Sgd
            ? optim.SGD(regular, rate, options.Momentum, 0, options.WeightDecay)
            : optim.Adam(regular, rate, weight_decay: options.WeightDecay);
        if (boosted.Count > 0)
        {
            // Stitch weights get their own group and rate (Misra et al. used 10^2 to 10^3 times the base rate with
            // SGD), and no weight decay, which would pull the mixing away from rows that sum to one.
            ParamGroup group = options.Optimizer == OptimizerKind.Sgd
                ? new SGD.ParamGroup(boosted, rate * multiplier, options.Momentum, 0, 0, false, false)
                : new Adam.ParamGroup(boosted, rate * multiplier, 0.9, 0.999, 1e-8, 0, false, false);
            ((OptimizerHelper)created).add_param_group(group);
        }

        foreach (optim.ILearningRateController group in created.ParamGroups)
        {
            groups.Add((group, group.LearningRate));
        }

        return created;
    }

    private void SetLearningRate(double factor)
    {
        foreach ((optim.ILearningRateController group, double baseRate) in groups)
        {
            group.LearningRate = baseRate * factor;
        }
    }

    public void Dispose()
    {
        DisposeBestWeights();
        losses.Dispose();
    }

    private static TaskWeighting CreateWeighting(TaskWeightingKind kind, IReadOnlyList<TaskSpec> tasks) => kind switch
    {
        TaskWeightingKind.Uncertainty => new UncertaintyWeighting(tasks),
        TaskWeightingKind.DynamicWeightAverage => new DynamicWeightAverage(tasks),
        TaskWeightingKind.GradNorm => new GradNormWeighting(tasks),
        _ => new FixedWeighting(tasks),
    };

    private void DisposeBestWeights()
    {
        if (bestWeights is null)
        {
            return;
        }

        foreach (Tensor tensor in bestWeights.Values)
        {
            tensor.Dispose();
        }

        bestWeights = null;
    }
}
