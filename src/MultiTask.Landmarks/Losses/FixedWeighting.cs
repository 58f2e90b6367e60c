using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>Fixed weights: the sum of each task's loss times its <see cref="TaskSpec.LossWeight"/>.</summary>
public sealed class FixedWeighting : TaskWeighting
{
    /// <summary>Initializes a new instance of the <see cref="FixedWeighting"/> class.</summary>
    /// <param name="tasks">The tasks, whose loss weights are used.</param>
    /// <exception cref="ArgumentException">There are no tasks.</exception>
    public FixedWeighting(IReadOnlyList<TaskSpec> tasks)
        : base(nameof(FixedWeighting), tasks)
    {
    }

    /// <inheritdoc />
    public override Tensor Combine(
        IReadOnlyDictionary<string, Tensor> taskLosses, IReadOnlyList<Parameter>? sharedParameters = null)
    {
        Tensor[] losses = Ordered(taskLosses);
        using var scope = NewDisposeScope();
        Tensor total = losses[0] * Tasks[0].LossWeight;
        for (int i = 1; i < losses.Length; i++)
        {
            total = total + (losses[i] * Tasks[i].LossWeight);
        }

        return total.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> CurrentWeights() =>
        ByName(Tasks.Select(t => (double)t.LossWeight).ToArray());
}
