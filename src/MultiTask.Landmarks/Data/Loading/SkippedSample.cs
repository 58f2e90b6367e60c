namespace MultiTask.Landmarks.Data.Loading;

/// <summary>A sample that a lenient <see cref="FaceBatchLoader"/> left out, and why.</summary>
/// <param name="Index">The sample's index in the list given to the loader.</param>
/// <param name="Sample">The sample.</param>
/// <param name="Reason">What was wrong, naming the file.</param>
/// <param name="Error">The exception that reported it.</param>
public sealed record SkippedSample(int Index, FaceSample Sample, string Reason, Exception Error);
