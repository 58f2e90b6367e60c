namespace MultiTask.Landmarks.Data.Readers;

/// <summary>A line that a lenient read skipped, and why.</summary>
/// <param name="Origin">The annotation file and 1-based line.</param>
/// <param name="Message">What is wrong with the line.</param>
public readonly record struct ReadProblem(SampleOrigin Origin, string Message)
{
    /// <summary>Gets the annotation file.</summary>
    public string File => Origin.File;

    /// <summary>Gets the 1-based line.</summary>
    public int Line => Origin.Line;

    /// <inheritdoc />
    public override string ToString() => $"{Origin}: {Message}";
}
