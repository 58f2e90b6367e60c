namespace MultiTask.Landmarks.Training;

/// <summary>
/// The task-wise early stopping of auxiliary tasks from TCDCN (Zhang et al., ECCV 2014, eq. 5): an auxiliary task
/// stops contributing to the loss once its training error has stopped falling and its validation error has risen
/// above its best training error. The criterion multiplies two terms and compares the product with a threshold:
/// <list type="bullet">
/// <item><description>the tendency of the training error over the last <c>k</c> epochs,
/// <c>k·med(E_tr) / (Σ E_tr − k·med(E_tr))</c>, which is small while the error drops fast and grows without
/// bound as
/// the drop flattens (taken as infinite when the denominator is not positive);</description></item>
/// <item><description>the generalisation gap, <c>(E_val(t) − min E_tr) / (λ·min E_tr)</c>, negative while the
/// validation error stays below the best training error.</description></item>
/// </list>
/// </summary>
public sealed class TaskWiseEarlyStopping
{
    private readonly Dictionary<string, List<double>> trainingErrors = new(StringComparer.Ordinal);
    private readonly HashSet<string> stopped = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="TaskWiseEarlyStopping"/> class.</summary>
    /// <param name="window">The number of recent epochs <c>k</c> whose training errors judge the tendency.</param>
    /// <param name="threshold">The threshold <c>ε</c> the product must exceed to stop a task.</param>
    public TaskWiseEarlyStopping(int window = 5, double threshold = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        Window = window;
        Threshold = threshold;
    }

    /// <summary>Gets the tendency window <c>k</c> in epochs.</summary>
    public int Window { get; }

    /// <summary>Gets the threshold <c>ε</c>.</summary>
    public double Threshold { get; }

    /// <summary>Gets the tasks that have stopped.</summary>
    public IReadOnlyCollection<string> StoppedTasks => stopped;

    /// <summary>Gets a value indicating whether the task has stopped contributing.</summary>
    /// <param name="task">The task's name.</param>
    /// <returns><see langword="true"/> once stopped.</returns>
    public bool IsStopped(string task) => stopped.Contains(task);

    /// <summary>Records an epoch's errors for an auxiliary task and decides whether it stops now.</summary>
    /// <param name="task">The task's name.</param>
    /// <param name="trainingError">The task's training loss this epoch.</param>
    /// <param name="validationError">The task's validation loss this epoch.</param>
    /// <param name="lossWeight">The task's loss weight <c>λ</c>.</param>
    /// <returns><see langword="true"/> when the task stops at this epoch.</returns>
    public bool Update(string task, double trainingError, double validationError, double lossWeight = 1)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (stopped.Contains(task))
        {
            return false;
        }

        if (!trainingErrors.TryGetValue(task, out List<double>? history))
        {
            history = new List<double>();
            trainingErrors[task] = history;
        }

        history.Add(trainingError);
        double score = Score(history, validationError, lossWeight, Window);
        if (score > Threshold)
        {
            stopped.Add(task);
            return true;
        }

        return false;
    }

    /// <summary>Restores the state of a resumed run.</summary>
    /// <param name="errors">Each task's training errors so far.</param>
    /// <param name="stoppedTasks">The tasks that had stopped.</param>
    public void Restore(IReadOnlyDictionary<string, IReadOnlyList<double>> errors, IEnumerable<string> stoppedTasks)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(stoppedTasks);
        trainingErrors.Clear();
        stopped.Clear();
        foreach ((string task, IReadOnlyList<double> values) in errors)
        {
            trainingErrors[task] = values.ToList();
        }

        stopped.UnionWith(stoppedTasks);
    }

    /// <summary>Gets each task's recorded training errors, for checkpoints.</summary>
    /// <returns>A copy of the history.</returns>
    public Dictionary<string, double[]> TrainingErrors() =>
        trainingErrors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Computes the criterion's value; <see cref="double.NegativeInfinity"/> before a full window.</summary>
    /// <param name="trainingErrors">The task's training errors, one per epoch so far.</param>
    /// <param name="validationError">The task's current validation error.</param>
    /// <param name="lossWeight">The task's loss weight.</param>
    /// <param name="window">The tendency window.</param>
    /// <returns>The product of the tendency and generalisation terms.</returns>
    public static double Score(
        IReadOnlyList<double> trainingErrors, double validationError, double lossWeight, int window)
    {
        ArgumentNullException.ThrowIfNull(trainingErrors);
        if (trainingErrors.Count < window)
        {
            return double.NegativeInfinity;
        }

        double[] recent = trainingErrors.Skip(trainingErrors.Count - window).ToArray();
        double best = trainingErrors.Min();
        double gap = (validationError - best) / (lossWeight * Math.Max(best, 1e-12));
        if (gap <= 0)
        {
            return gap;
        }

        double median = Median(recent);
        double denominator = recent.Sum() - (window * median);
        double tendency = denominator <= 0 ? double.PositiveInfinity : window * median / denominator;
        return tendency * gap;
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
