namespace MultiTask.Landmarks.Training;

/// <summary>What a training run did: its history, its best epoch, and how fast it went.</summary>
public sealed class TrainingResult
{
    /// <summary>Gets the summary of every epoch that completed, in order.</summary>
    public required IReadOnlyList<EpochSummary> History { get; init; }

    /// <summary>Gets the one-based epoch whose weights the model holds at the end (the best validation epoch with
    /// early stopping or best-weight keeping, else the last), or 0 when no epoch completed.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Gets a value indicating whether early stopping ended the run before its last epoch.</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>Gets a value indicating whether the run was cancelled.</summary>
    public required bool Cancelled { get; init; }

    /// <summary>Gets the number of trainable parameters of the model.</summary>
    public required long Parameters { get; init; }

    /// <summary>Gets the number of training and validation faces.</summary>
    public required (int Training, int Validation) Faces { get; init; }

    /// <summary>Gets the wall time of the run, data loading included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the training throughput over all epochs, in faces per second of the training loop (batch
    /// rendering and steps; see <see cref="EpochSummary.TrainingFacesPerSecond"/>).</summary>
    public required double TrainingFacesPerSecond { get; init; }

    /// <summary>Gets the path of the last checkpoint written, or <see langword="null"/>.</summary>
    public string? LastCheckpoint { get; init; }
}
