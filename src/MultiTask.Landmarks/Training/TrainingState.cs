namespace MultiTask.Landmarks.Training;

/// <summary>The trainer's own state in a checkpoint: where the run stands and what it has learned about itself.
/// </summary>
internal sealed class TrainingState
{
    public int FormatVersion { get; set; } = 1;

    /// <summary>Gets or sets the number of epochs fully completed.</summary>
    public int CompletedEpochs { get; set; }

    /// <summary>Gets or sets the batches completed within the epoch after <see cref="CompletedEpochs"/> (non-zero
    /// only for a checkpoint written when a run was cancelled mid-epoch).</summary>
    public int CompletedBatches { get; set; }

    public int Seed { get; set; }

    public int TotalEpochs { get; set; }

    public int BestEpoch { get; set; }

    public double BestScore { get; set; } = double.PositiveInfinity;

    public int EpochsWithoutImprovement { get; set; }

    public List<EpochSummary> History { get; set; } = new();

    public Dictionary<string, double[]> AuxiliaryTrainingErrors { get; set; } = new(StringComparer.Ordinal);

    public List<string> StoppedTasks { get; set; } = new();

    /// <summary>Gets or sets the partial sums of the interrupted epoch, so that its summary equals an uninterrupted
    /// one's.</summary>
    public Dictionary<string, double> PartialLossSums { get; set; } = new(StringComparer.Ordinal);

    public double PartialTotalLoss { get; set; }

    public long PartialFaces { get; set; }

    public Dictionary<string, double[]> WeightingHistory { get; set; } = new(StringComparer.Ordinal);
}
