using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// One training step as <c>Trainer</c> takes it with its default options (Adam at 1e-3 with the cross-stitch weights
/// in their own boosted group, the multi-task loss with fixed weights, the network's regularization, gradient
/// clipping at norm 5, and the trainer's generation-0 collection every 16th step), on a fixed batch, so that only the
/// step is timed.
/// </summary>
internal sealed class TrainingStep : IDisposable
{
    private const double ClipNorm = 5;
    private readonly ColumnNetwork network;
    private readonly MultiTaskLoss loss;
    private readonly optim.Optimizer optimizer;
    private readonly List<Parameter> parameters;
    private readonly FaceBatch batch;
    private readonly StepCollector? collector;

    /// <param name="config">The network.</param>
    /// <param name="batchSize">The faces of the fixed batch.</param>
    /// <param name="collect">Whether each step ends with the trainer's periodic collection; a caller that times
    /// steps one by one and collects between its timings passes <see langword="false"/>.</param>
    public TrainingStep(NetworkConfig config, int batchSize, bool collect = true)
    {
        collector = collect ? new StepCollector() : null;
        network = NetworkFactory.Create(config);
        loss = new MultiTaskLoss(network.Tasks);
        var boosted = new HashSet<Parameter>(network.BoostedParameters(), ReferenceEqualityComparer.Instance);
        parameters = network.parameters().ToList();
        optimizer = optim.Adam(parameters.Where(p => !boosted.Contains(p)).ToList(), 1e-3);
        if (boosted.Count > 0)
        {
            var group = new Adam.ParamGroup(boosted, 1e-3 * config.CrossStitchLearningRateMultiplier);
            ((OptimizerHelper)optimizer).add_param_group(group);
        }

        batch = SyntheticBatch.Create(batchSize, network.InputShape);
        network.train();
    }

    /// <summary>Gets the network's number of columns (1 for hard sharing and single task).</summary>
    public int Columns => Math.Max(1, network.ColumnNames.Count);

    /// <summary>Gets the number of faces a step trains on.</summary>
    public int BatchSize => batch.Count;

    /// <summary>Runs one step; returns the total loss plus every task's loss, read back as the trainer reads them.
    /// </summary>
    public double Run() => Run(null);

    /// <summary>Runs one step, adding each phase's time to <paramref name="phases"/> when given.</summary>
    public double Run(StepPhases? phases)
    {
        double sum = Step(phases);
        collector?.StepDone();
        phases?.Lap(StepPhase.Collect);
        return sum;
    }

    private double Step(StepPhases? phases)
    {
        using var scope = NewDisposeScope();
        phases?.Start();
        optimizer.zero_grad();

        Dictionary<string, Tensor> outputs = network.forward(batch.Images);
        phases?.Lap(StepPhase.Forward);
        using MultiTaskLossResult result = loss.Compute(outputs, batch, network.RegularizationLoss());
        phases?.Lap(StepPhase.Loss);

        result.Total.backward();
        MultiTaskNetwork.ReleaseBackwardBuffers();
        phases?.Lap(StepPhase.Backward);
        nn.utils.clip_grad_norm_(parameters, ClipNorm);
        phases?.Lap(StepPhase.Clip);
        optimizer.step();
        phases?.Lap(StepPhase.Optimizer);

        double sum = result.Total.item<float>();
        foreach (Tensor taskLoss in result.TaskLosses.Values)
        {
            sum += taskLoss.item<float>();
        }

        phases?.Lap(StepPhase.Read);
        return sum;
    }

    public void Dispose()
    {
        optimizer.Dispose();
        loss.Dispose();
        network.Dispose();
        batch.Dispose();
    }
}
