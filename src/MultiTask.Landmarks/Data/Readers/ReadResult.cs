namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// What a reader returns: the records it read and, in lenient mode, every line it skipped with the reason, so that
/// nothing is dropped silently. A strict read throws at the first bad line instead, so its problems are always empty.
/// </summary>
/// <typeparam name="TRecord">The record type: <see cref="FaceSample"/> for annotation lists.</typeparam>
public sealed class ReadResult<TRecord>
{
    /// <summary>Initializes a new instance of the <see cref="ReadResult{TRecord}"/> class.</summary>
    /// <param name="source">The file or stream name the records came from.</param>
    /// <param name="records">The records, in file order.</param>
    /// <param name="problems">The skipped lines, in file order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ReadResult(string source, IReadOnlyList<TRecord> records, IReadOnlyList<ReadProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(problems);
        Source = source;
        Records = records;
        Problems = problems;
    }

    /// <summary>Gets the file or stream name the records came from.</summary>
    public string Source { get; }

    /// <summary>Gets the records, in file order.</summary>
    public IReadOnlyList<TRecord> Records { get; }

    /// <summary>Gets the lines a lenient read skipped (or, for a join, the records it could not match).</summary>
    public IReadOnlyList<ReadProblem> Problems { get; }

    /// <summary>Gets a value indicating whether any line was skipped.</summary>
    public bool HasProblems => Problems.Count > 0;

    /// <inheritdoc />
    public override string ToString() => $"{Source}: {Records.Count} records, {Problems.Count} problems";
}
