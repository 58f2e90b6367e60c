namespace MultiTask.Landmarks.Training;

/// <summary>
/// The learning-rate factor (multiplying each parameter group's base rate) as a function of training progress: an
/// optional linear warm-up, then a constant, step or cosine schedule. It is a pure function of the position, so a
/// resumed run follows exactly the curve of an uninterrupted one.
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>Initializes a new instance of the <see cref="LearningRateSchedule"/> class.</summary>
    /// <param name="kind">The schedule after warm-up.</param>
    /// <param name="totalEpochs">The run's length in epochs.</param>
    /// <param name="warmupEpochs">Epochs of linear warm-up from <paramref name="warmupStartFactor"/> to 1.</param>
    /// <param name="stepEpochs">For <see cref="LearningRateScheduleKind.Step"/>: epochs between decays.</param>
    /// <param name="stepGamma">
    /// For <see cref="LearningRateScheduleKind.Step"/>: the factor applied at each decay.
    /// </param>
    /// <param name="cosineFloor">For <see cref="LearningRateScheduleKind.Cosine"/>: the final factor.</param>
    /// <param name="warmupStartFactor">The factor at the first step of warm-up.</param>
    public LearningRateSchedule(
        LearningRateScheduleKind kind,
        int totalEpochs,
        double warmupEpochs = 0,
        int stepEpochs = 10,
        double stepGamma = 0.1,
        double cosineFloor = 0.01,
        double warmupStartFactor = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepGamma);
        ArgumentOutOfRangeException.ThrowIfNegative(cosineFloor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupStartFactor);
        Kind = kind;
        TotalEpochs = totalEpochs;
        WarmupEpochs = warmupEpochs;
        StepEpochs = stepEpochs;
        StepGamma = stepGamma;
        CosineFloor = cosineFloor;
        WarmupStartFactor = warmupStartFactor;
    }

    /// <summary>Gets the schedule after warm-up.</summary>
    public LearningRateScheduleKind Kind { get; }

    /// <summary>Gets the run's length in epochs.</summary>
    public int TotalEpochs { get; }

    /// <summary>Gets the length of the linear warm-up in epochs (fractions allowed).</summary>
    public double WarmupEpochs { get; }

    /// <summary>Gets the epochs between decays of the step schedule.</summary>
    public int StepEpochs { get; }

    /// <summary>Gets the decay factor of the step schedule.</summary>
    public double StepGamma { get; }

    /// <summary>Gets the final factor of the cosine schedule.</summary>
    public double CosineFloor { get; }

    /// <summary>Gets the factor at the start of warm-up.</summary>
    public double WarmupStartFactor { get; }

    /// <summary>Gets the factor at a position in the run.</summary>
    /// <param name="epoch">The zero-based epoch.</param>
    /// <param name="batch">The zero-based batch within the epoch.</param>
    /// <param name="batchesPerEpoch">The number of batches per epoch.</param>
    /// <returns>The factor to multiply base learning rates with.</returns>
    public double FactorAt(int epoch, int batch, int batchesPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerEpoch, 1);
        double position = epoch + ((double)batch / batchesPerEpoch);
        double factor = Kind switch
        {
            LearningRateScheduleKind.Step => Math.Pow(StepGamma, epoch / StepEpochs),
            LearningRateScheduleKind.Cosine => Cosine(position),
            _ => 1.0,
        };

        if (position < WarmupEpochs)
        {
            double progress = position / WarmupEpochs;
            factor *= WarmupStartFactor + ((1 - WarmupStartFactor) * progress);
        }

        return factor;
    }

    private double Cosine(double position)
    {
        double span = Math.Max(TotalEpochs - WarmupEpochs, 1e-9);
        double progress = Math.Clamp((position - WarmupEpochs) / span, 0, 1);
        return CosineFloor + ((1 - CosineFloor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
