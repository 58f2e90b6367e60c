namespace MultiTask.Landmarks.Training;

/// <summary>Hooks into a training run at the end of each batch and epoch.</summary>
public interface ITrainingCallback
{
    /// <summary>Called after each training batch's optimizer step.</summary>
    /// <param name="progress">Where the run stands.</param>
    void OnBatchEnd(TrainingProgress progress);

    /// <summary>Called after each epoch's validation and checkpoint.</summary>
    /// <param name="summary">The epoch's summary.</param>
    /// <returns><see langword="true"/> to stop the run after this epoch.</returns>
    bool OnEpochEnd(EpochSummary summary);
}
