using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// A strategy that combines the per-task losses into the one loss to minimise. It is a module: strategies with
/// learnable weights (uncertainty, GradNorm) register them as parameters, which the trainer gives to the optimizer
/// with the network's. Per step the trainer calls <see cref="Combine"/>, backpropagates its result, steps the
/// optimizer, then calls <see cref="AfterOptimizerStep"/>; after each epoch it calls <see cref="EndEpoch"/>.
/// </summary>
public abstract class TaskWeighting : nn.Module
{
    /// <summary>Initializes a new instance of the <see cref="TaskWeighting"/> class.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="tasks">The tasks, in order.</param>
    /// <exception cref="ArgumentException">There are no tasks.</exception>
    protected TaskWeighting(string name, IReadOnlyList<TaskSpec> tasks)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("Task weighting needs at least one task.", nameof(tasks));
        }

        Tasks = tasks.ToArray();
    }

    /// <summary>Gets the tasks, in order.</summary>
    public IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>Combines the per-task losses into the loss to backpropagate.</summary>
    /// <param name="taskLosses">A scalar loss per task, by task name.</param>
    /// <param name="sharedParameters">The last shared layer's weights; only GradNorm needs them.</param>
    /// <returns>A scalar tensor, owned by the caller.</returns>
    /// <exception cref="ArgumentException">A task's loss is missing.</exception>
    public abstract Tensor Combine(
        IReadOnlyDictionary<string, Tensor> taskLosses, IReadOnlyList<Parameter>? sharedParameters = null);

    /// <summary>Gets the weight each task's loss has now, by task name, for logging.</summary>
    /// <returns>The weights.</returns>
    public abstract IReadOnlyDictionary<string, double> CurrentWeights();

    /// <summary>Tells the strategy that an epoch ended (dynamic weight average updates its weights here).</summary>
    public virtual void EndEpoch()
    {
    }

    /// <summary>Tells the strategy that the optimizer stepped (GradNorm renormalises its weights here).</summary>
    public virtual void AfterOptimizerStep()
    {
    }

    /// <summary>Gets the tasks' losses in task order, checking that none is missing.</summary>
    /// <param name="taskLosses">The losses by task name.</param>
    /// <returns>The losses in the order of <see cref="Tasks"/>.</returns>
    /// <exception cref="ArgumentException">A task's loss is missing.</exception>
    protected Tensor[] Ordered(IReadOnlyDictionary<string, Tensor> taskLosses)
    {
        ArgumentNullException.ThrowIfNull(taskLosses);
        var result = new Tensor[Tasks.Count];
        for (int i = 0; i < Tasks.Count; i++)
        {
            if (!taskLosses.TryGetValue(Tasks[i].Name, out Tensor? loss))
            {
                throw new ArgumentException(
                    $"No loss for task '{Tasks[i].Name}'; " +
                    $"got {string.Join(", ", taskLosses.Keys)}.", nameof(taskLosses));
            }

            result[i] = loss;
        }

        return result;
    }

    /// <summary>Pairs the task names with values.</summary>
    /// <param name="values">One value per task.</param>
    /// <returns>The values by task name.</returns>
    protected IReadOnlyDictionary<string, double> ByName(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < Tasks.Count; i++)
        {
            result[Tasks[i].Name] = values[i];
        }

        return result;
    }
}
