namespace MultiTask.Landmarks.Training;

/// <summary>What one epoch of training measured.</summary>
public sealed class EpochSummary
{
    /// <summary>Gets the one-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>Gets the mean training loss of each task over the epoch (unweighted), keyed by task name.</summary>
    public required IReadOnlyDictionary<string, double> TrainingLosses { get; init; }

    /// <summary>Gets the mean weighted total training loss, regularization included.</summary>
    public required double TrainingLoss { get; init; }

    /// <summary>Gets the mean validation loss of each task, or an empty map without validation.</summary>
    public required IReadOnlyDictionary<string, double> ValidationLosses { get; init; }

    /// <summary>Gets the validation landmark error, normalised by the inter-ocular distance, or
    /// <see langword="null"/> without validation.</summary>
    public double? ValidationInterOcularError { get; init; }

    /// <summary>Gets the validation landmark error, normalised by the crop width (the padded face box), or
    /// <see langword="null"/> without validation.</summary>
    public double? ValidationCropWidthError { get; init; }

    /// <summary>Gets the validation accuracy of each attribute task.</summary>
    public IReadOnlyDictionary<string, double> ValidationAccuracies { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets the learning-rate factor at the end of the epoch.</summary>
    public required double LearningRateFactor { get; init; }

    /// <summary>Gets the auxiliary tasks that had stopped contributing by the end of the epoch.</summary>
    public IReadOnlyList<string> StoppedTasks { get; init; } = Array.Empty<string>();

    /// <summary>Gets the wall time of the epoch, validation included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the training throughput in faces per second: the faces trained over the time of the training
    /// loop, batch rendering and steps (not validation, progress reports or callbacks).</summary>
    public required double TrainingFacesPerSecond { get; init; }
}
