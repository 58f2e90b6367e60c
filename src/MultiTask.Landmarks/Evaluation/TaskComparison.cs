namespace MultiTask.Landmarks.Evaluation;

/// <summary>One task's metric for a multi-task model and for its single-task baseline.</summary>
/// <param name="Task">The task's name (for reports).</param>
/// <param name="MultiTask">The multi-task model's metric.</param>
/// <param name="SingleTask">The single-task baseline's metric; not zero.</param>
/// <param name="LowerIsBetter">Whether a lower value is better (an error) or a higher one (an accuracy).</param>
public sealed record TaskComparison(string Task, double MultiTask, double SingleTask, bool LowerIsBetter);
