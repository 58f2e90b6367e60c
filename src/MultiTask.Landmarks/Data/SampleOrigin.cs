namespace MultiTask.Landmarks.Data;

/// <summary>Where a sample came from, so that every error about it can name the file and line.</summary>
/// <param name="File">The annotation file (or another source's name).</param>
/// <param name="Line">The 1-based line, or 0 when the source has no lines.</param>
public readonly record struct SampleOrigin(string File, int Line)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
