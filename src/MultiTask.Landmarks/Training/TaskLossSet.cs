using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Tasks;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Training;

/// <summary>Computes each task's unweighted loss for a batch: the landmark loss on present points, cross-entropy on
/// known attribute labels.</summary>
internal sealed class TaskLossSet
{
    private readonly IReadOnlyList<TaskSpec> tasks;
    private readonly LandmarkLoss landmarkLoss;

    public TaskLossSet(IReadOnlyList<TaskSpec> tasks, LandmarkLossKind landmarkLossKind)
    {
        this.tasks = tasks;
        landmarkLoss = new LandmarkLoss { Kind = landmarkLossKind };
    }

    /// <summary>Returns each task's loss; the tensors belong to the caller's dispose scope.</summary>
    public Dictionary<string, Tensor> Compute(Dictionary<string, Tensor> outputs, FaceBatch batch)
    {
        var losses = new Dictionary<string, Tensor>(tasks.Count, StringComparer.Ordinal);
        foreach (TaskSpec task in tasks)
        {
            Tensor output = outputs[task.Name];
            losses[task.Name] = task.Kind == TaskKind.Landmarks
                ? landmarkLoss.Compute(output, batch.Landmarks, batch.LandmarkMask)
                : ClassificationLoss.CrossEntropy(output, batch.AttributeLabels(task.Name));
        }

        return losses;
    }
}
