using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// The multi-task loss: the masked landmark loss for landmark tasks, cross-entropy ignoring unknown labels for
/// attribute tasks (read from the batch's attribute column of the task's name), combined by a
/// <see cref="TaskWeighting"/>, plus the network's regularization term. It is a module so that a weighting's
/// learnable parameters (<c>weighting.*</c>) reach the optimizer and the checkpoint.
/// </summary>
public sealed class MultiTaskLoss : nn.Module
{
    private readonly TaskWeighting weighting;

    /// <summary>Initializes a new instance of the <see cref="MultiTaskLoss"/> class.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="weighting">The weighting; <see cref="FixedWeighting"/> with the tasks' loss weights when
    /// <see langword="null"/>.</param>
    /// <param name="landmarkLoss">The landmark loss; MSE when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">There are no tasks, or the weighting's tasks differ.</exception>
    public MultiTaskLoss(
        IReadOnlyList<TaskSpec> tasks, TaskWeighting? weighting = null, LandmarkLoss? landmarkLoss = null)
        : base(nameof(MultiTaskLoss))
    {
        ArgumentNullException.ThrowIfNull(tasks);
        this.weighting = weighting ?? new FixedWeighting(tasks);
        if (!this.weighting.Tasks.Select(t => t.Name).SequenceEqual(tasks.Select(t => t.Name)))
        {
            throw new ArgumentException("The weighting's tasks differ from the loss's tasks.", nameof(weighting));
        }

        Tasks = tasks.ToArray();
        LandmarkLoss = landmarkLoss ?? new LandmarkLoss();
        RegisterComponents();
    }

    /// <summary>Gets the tasks.</summary>
    public IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>Gets the task weighting.</summary>
    public TaskWeighting Weighting => weighting;

    /// <summary>Gets the landmark loss.</summary>
    public LandmarkLoss LandmarkLoss { get; }

    /// <summary>Computes each task's loss and the total.</summary>
    /// <param name="outputs">The network's outputs by task name.</param>
    /// <param name="batch">The batch the outputs were computed from.</param>
    /// <param name="regularization">
    /// The network's regularization term (not disposed), or <see langword="null"/>.
    /// </param>
    /// <param name="sharedParameters">The last shared layer's weights, for GradNorm.</param>
    /// <returns>The losses; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">An output is missing.</exception>
    public MultiTaskLossResult Compute(
        IReadOnlyDictionary<string, Tensor> outputs,
        FaceBatch batch,
        Tensor? regularization = null,
        IReadOnlyList<Parameter>? sharedParameters = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var taskLosses = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (TaskSpec task in Tasks)
        {
            if (!outputs.TryGetValue(task.Name, out Tensor? output))
            {
                throw new ArgumentException(
                    $"No output for task '{task.Name}'; got {string.Join(", ", outputs.Keys)}.", nameof(outputs));
            }

            taskLosses[task.Name] = task.Kind == TaskKind.Landmarks
                ? LandmarkLoss.Compute(output, batch.Landmarks, batch.LandmarkMask)
                : ClassificationLoss.CrossEntropy(output, batch.AttributeLabels(task.Name));
        }

        Tensor total = weighting.Combine(taskLosses, sharedParameters);
        Tensor? ownRegularization = null;
        if (regularization is not null)
        {
            ownRegularization = regularization.alias();
            total = total + regularization;
        }

        foreach (Tensor loss in taskLosses.Values)
        {
            loss.MoveToOuterDisposeScope();
        }

        return new MultiTaskLossResult(
            total.MoveToOuterDisposeScope(), taskLosses, ownRegularization?.MoveToOuterDisposeScope());
    }
}
