namespace MultiTask.Landmarks.Training;

/// <summary>A progress report: after each batch, and after each epoch with its summary.</summary>
public sealed class TrainingProgress
{
    /// <summary>Gets the one-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>Gets the total number of epochs of the run.</summary>
    public required int TotalEpochs { get; init; }

    /// <summary>Gets the one-based batch number within the epoch.</summary>
    public required int Batch { get; init; }

    /// <summary>Gets the number of batches per epoch.</summary>
    public required int BatchesPerEpoch { get; init; }

    /// <summary>Gets the weighted total loss of the last batch.</summary>
    public required double Loss { get; init; }

    /// <summary>Gets the running training throughput of the epoch in faces per second, batch rendering included
    /// (see <see cref="EpochSummary.TrainingFacesPerSecond"/>).</summary>
    public required double FacesPerSecond { get; init; }

    /// <summary>Gets the epoch's summary when this report closes an epoch; otherwise <see langword="null"/>.</summary>
    public EpochSummary? CompletedEpoch { get; init; }
}
