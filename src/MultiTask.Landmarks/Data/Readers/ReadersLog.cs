using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>Source-generated log messages of the annotation readers (event ids 1150-1169 of the data layer's
/// 1100-1199).</summary>
internal static partial class ReadersLog
{
    [LoggerMessage(EventId = 1150, EventName = "AnnotationsRead", Level = LogLevel.Information,
        Message = "Read {Count} records from {Source}; {Problems} lines skipped")]
    public static partial void AnnotationsRead(ILogger logger, string source, int count, int problems);

    [LoggerMessage(EventId = 1151, EventName = "LineSkipped", Level = LogLevel.Warning,
        Message = "Skipped {Origin}: {Problem}")]
    public static partial void LineSkipped(ILogger logger, string origin, string problem);

    [LoggerMessage(EventId = 1152, EventName = "BoxesJoined", Level = LogLevel.Information,
        Message = "Joined {Matched} of {Count} samples of {Source} with boxes from {BoxSource}; {Unmatched} without")]
    public static partial void BoxesJoined(
        ILogger logger, string source, string boxSource, int matched, int count, int unmatched);
}
