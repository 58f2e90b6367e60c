namespace MultiTask.Landmarks.Modules;

/// <summary>How a network shares its trunk among tasks.</summary>
public enum ArchitectureKind
{
    /// <summary>One trunk and the first task's head alone: the single-task baseline.</summary>
    SingleTask,

    /// <summary>Hard sharing: one trunk, one head per task.</summary>
    Shared,

    /// <summary>The stages before the split stage are shared, the rest is copied per task group.</summary>
    Split,

    /// <summary>One column per task group, mixed by cross-stitch units (Misra et al., CVPR 2016).</summary>
    CrossStitch,
}
