namespace MultiTask.Landmarks.Evaluation;

/// <summary>
/// The Delta-m of the multi-task literature (Maninis et al., CVPR 2019; Vandenhende et al., TPAMI 2021): the mean over
/// tasks of each task's relative change against its single-task baseline, in percent, signed so that a positive value
/// is an improvement: Delta-m = 100 / T * sum over tasks of (-1)^l (M - B) / B, where l is 1 for a metric where lower
/// is better.
/// </summary>
public sealed class MultiTaskDelta
{
    private MultiTaskDelta(IReadOnlyList<TaskComparison> tasks, IReadOnlyList<double> perTask)
    {
        Tasks = tasks;
        PerTaskPercent = perTask;
        Percent = perTask.Average();
    }

    /// <summary>Gets the compared tasks.</summary>
    public IReadOnlyList<TaskComparison> Tasks { get; }

    /// <summary>Gets each task's signed relative change in percent, in the order of <see cref="Tasks"/> (positive:
    /// the multi-task model is better).</summary>
    public IReadOnlyList<double> PerTaskPercent { get; }

    /// <summary>Gets the mean of <see cref="PerTaskPercent"/>: Delta-m in percent.</summary>
    public double Percent { get; }

    /// <summary>Computes Delta-m.</summary>
    /// <param name="tasks">The tasks; at least one.</param>
    /// <returns>The per-task changes and their mean.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no task, or a baseline is zero or a value not finite.</exception>
    public static MultiTaskDelta Compute(IEnumerable<TaskComparison> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        TaskComparison[] list = tasks.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("Delta-m needs at least one task.", nameof(tasks));
        }

        var perTask = new double[list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            TaskComparison t = list[i];
            if (t.SingleTask == 0 || !double.IsFinite(t.SingleTask) || !double.IsFinite(t.MultiTask))
            {
                throw new ArgumentException(
                    $"Task '{t.Task}': baseline {t.SingleTask} and multi-task {t.MultiTask} must be finite and the " +
                    "baseline non-zero.",
                    nameof(tasks));
            }

            double change = (t.MultiTask - t.SingleTask) / t.SingleTask;
            perTask[i] = 100 * (t.LowerIsBetter ? -change : change);
        }

        return new MultiTaskDelta(list, perTask);
    }
}
