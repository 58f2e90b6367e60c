using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Data.Loading;

/// <summary>Source-generated log messages of the batch loader (event ids 1150-1169 of the data layer's 1100-1199).
/// </summary>
internal static partial class LoadingLog
{
    [LoggerMessage(EventId = 1200, EventName = "DecodePassFinished", Level = LogLevel.Information,
        Message = "Decoded and cropped {Kept} of {Total} faces in {ElapsedMs} ms ({Skipped} skipped), "
            + "{Bytes} bytes kept")]
    public static partial void DecodePassFinished(
        ILogger logger, int kept, int total, long elapsedMs, int skipped, long bytes);

    [LoggerMessage(EventId = 1201, EventName = "SampleSkipped", Level = LogLevel.Warning,
        Message = "Skipped sample {Index}: {Reason}")]
    public static partial void SampleSkipped(ILogger logger, int index, string reason);
}
