using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Training;

/// <summary>Source-generated log messages of the training layer (event ids 1300-1399).</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 1300, EventName = "RunStarted", Level = LogLevel.Information,
        Message = "Training {Model} on {Device} with {Threads} CPU threads: {Parameters} parameters, " +
                  "{TrainingFaces} training and {ValidationFaces} validation faces, " +
                  "{Epochs} epochs of batch {BatchSize}")]
    public static partial void RunStarted(ILogger logger, string model, string device, int threads, long parameters,
        int trainingFaces, int validationFaces, int epochs, int batchSize);

    [LoggerMessage(EventId = 1301, EventName = "EpochCompleted", Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F5}, validation error {InterOcular} of the inter-ocular " +
                  "distance, {FacesPerSecond:F0} faces/s, {Seconds:F1} s")]
    public static partial void EpochCompleted(ILogger logger, int epoch, int epochs, double loss, string interOcular,
        double facesPerSecond, double seconds);

    [LoggerMessage(EventId = 1302, EventName = "CheckpointWritten", Level = LogLevel.Information,
        Message = "Checkpoint written to {Path} after epoch {Epoch}, batch {Batch}")]
    public static partial void CheckpointWritten(ILogger logger, string path, int epoch, int batch);

    [LoggerMessage(EventId = 1303, EventName = "EarlyStopped", Level = LogLevel.Information,
        Message = "Early stop after epoch {Epoch}: no better validation error for {Patience} epochs; " +
                  "best epoch {BestEpoch}")]
    public static partial void EarlyStopped(ILogger logger, int epoch, int patience, int bestEpoch);

    [LoggerMessage(EventId = 1304, EventName = "AuxiliaryTaskStopped", Level = LogLevel.Information,
        Message = "Auxiliary task {Task} stops contributing after epoch {Epoch} (TCDCN task-wise early stopping)")]
    public static partial void AuxiliaryTaskStopped(ILogger logger, string task, int epoch);

    [LoggerMessage(EventId = 1305, EventName = "Cancelled", Level = LogLevel.Warning,
        Message = "Training cancelled in epoch {Epoch} after batch {Batch}")]
    public static partial void Cancelled(ILogger logger, int epoch, int batch);

    [LoggerMessage(EventId = 1306, EventName = "Resumed", Level = LogLevel.Information,
        Message = "Resuming from {Path} at epoch {Epoch}, batch {Batch}")]
    public static partial void Resumed(ILogger logger, string path, int epoch, int batch);

    [LoggerMessage(EventId = 1307, EventName = "BestWeightsRestored", Level = LogLevel.Information,
        Message = "Restored the weights of the best epoch {Epoch}")]
    public static partial void BestWeightsRestored(ILogger logger, int epoch);

    [LoggerMessage(EventId = 1308, EventName = "SamplesSkipped", Level = LogLevel.Warning,
        Message = "{Count} {Set} samples could not be loaded and were skipped; the first: {First}")]
    public static partial void SamplesSkipped(ILogger logger, int count, string set, string first);
}
