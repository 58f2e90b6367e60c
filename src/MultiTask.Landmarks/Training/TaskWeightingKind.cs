namespace MultiTask.Landmarks.Training;

/// <summary>How the trainer weighs the task losses against each other.</summary>
public enum TaskWeightingKind
{
    /// <summary>Each task's <see cref="Tasks.TaskSpec.LossWeight"/>.</summary>
    Fixed,

    /// <summary>Learned homoscedastic uncertainty per task (Kendall et al., 2018).</summary>
    Uncertainty,

    /// <summary>Dynamic weight average from the tasks' recent loss ratios (Liu et al., 2019).</summary>
    DynamicWeightAverage,

    /// <summary>Gradient normalisation on the last shared layer (Chen et al., 2018).</summary>
    GradNorm,
}
