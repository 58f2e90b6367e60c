using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// Dynamic weight average (Liu, Johns and Davison, CVPR 2019): a task's weight follows how slowly its loss fell
/// over the last epoch, w_i = T softmax(r_i / temperature) with r_i = L_i(e-1) / L_i(e-2), the epoch means of the
/// task's loss. The first two epochs use weight 1. It records the epoch means itself from the losses it combines,
/// so the trainer only calls <see cref="EndEpoch()"/>.
/// </summary>
/// <remarks>
/// The dynamic weight multiplies each task's <see cref="TaskSpec.LossWeight"/>: the paper's tasks had losses of one
/// scale, while a landmark MSE in the crop's unit frame is a thousand times smaller than a cross-entropy, and the
/// softmax alone would drown it.
/// </remarks>
public sealed class DynamicWeightAverage : TaskWeighting
{
    private readonly double[] sums;
    private readonly List<double[]> history = new();
    private double[] weights;
    private int steps;

    /// <summary>Initializes a new instance of the <see cref="DynamicWeightAverage"/> class.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="temperature">The softmax temperature; the paper used 2.</param>
    /// <exception cref="ArgumentException">There are no tasks.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not positive.</exception>
    public DynamicWeightAverage(IReadOnlyList<TaskSpec> tasks, double temperature = 2)
        : base(nameof(DynamicWeightAverage), tasks)
    {
        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(temperature), temperature, "The temperature must be positive.");
        }

        Temperature = temperature;
        sums = new double[Tasks.Count];
        weights = Enumerable.Repeat(1.0, Tasks.Count).ToArray();
    }

    /// <summary>Gets the softmax temperature.</summary>
    public double Temperature { get; }

    /// <summary>Gets the epoch means recorded so far, oldest first, each in task order.</summary>
    public IReadOnlyList<IReadOnlyList<double>> History => history;

    /// <inheritdoc />
    public override Tensor Combine(
        IReadOnlyDictionary<string, Tensor> taskLosses, IReadOnlyList<Parameter>? sharedParameters = null)
    {
        Tensor[] losses = Ordered(taskLosses);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (int i = 0; i < losses.Length; i++)
        {
            sums[i] += losses[i].detach().to(ScalarType.Float64).cpu().item<double>();
            Tensor term = losses[i] * (weights[i] * Tasks[i].LossWeight);
            total = total is null ? term : total + term;
        }

        steps++;
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Records an epoch's mean losses directly (instead of through <see cref="Combine"/>) and updates the
    /// weights.</summary>
    /// <param name="meanLosses">The epoch's mean loss of each task, by task name.</param>
    /// <exception cref="ArgumentException">A task's loss is missing.</exception>
    public void EndEpoch(IReadOnlyDictionary<string, double> meanLosses)
    {
        ArgumentNullException.ThrowIfNull(meanLosses);
        var means = new double[Tasks.Count];
        for (int i = 0; i < Tasks.Count; i++)
        {
            if (!meanLosses.TryGetValue(Tasks[i].Name, out means[i]))
            {
                throw new ArgumentException($"No mean loss for task '{Tasks[i].Name}'.", nameof(meanLosses));
            }
        }

        Record(means);
    }

    /// <inheritdoc />
    public override void EndEpoch()
    {
        if (steps == 0)
        {
            return;
        }

        Record(sums.Select(s => s / steps).ToArray());
        Array.Clear(sums);
        steps = 0;
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> CurrentWeights() =>
        ByName(weights.Select((w, i) => w * Tasks[i].LossWeight).ToArray());

    private void Record(double[] means)
    {
        history.Add(means);
        if (history.Count < 2)
        {
            return;
        }

        double[] previous = history[^2];
        double[] rates = means.Select((m, i) => m / Math.Max(previous[i], 1e-12) / Temperature).ToArray();
        double max = rates.Max();
        double[] exp = rates.Select(r => Math.Exp(r - max)).ToArray();
        double sum = exp.Sum();
        weights = exp.Select(e => Tasks.Count * e / sum).ToArray();
    }
}
