using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Serialization;

/// <summary>Source-generated log messages of the serialization layer (event ids 1600-1699).</summary>
internal static partial class SerializationLog
{
    [LoggerMessage(EventId = 1600, EventName = "ModelFileWritten", Level = LogLevel.Information,
        Message = "Wrote model file {Path}: {Tensors} tensors, {Bytes} bytes")]
    public static partial void ModelFileWritten(ILogger logger, string path, int tensors, long bytes);

    [LoggerMessage(EventId = 1601, EventName = "ModelFileRead", Level = LogLevel.Debug,
        Message = "Read model file {Path}: {Tensors} tensors, format version {Version}")]
    public static partial void ModelFileRead(ILogger logger, string path, int tensors, int version);

    [LoggerMessage(EventId = 1602, EventName = "WeightsExported", Level = LogLevel.Information,
        Message = "Exported {Tensors} tensors to {Path} ({Format})")]
    public static partial void WeightsExported(ILogger logger, string path, int tensors, string format);

    [LoggerMessage(EventId = 1603, EventName = "WeightsImported", Level = LogLevel.Information,
        Message = "Imported {Tensors} tensors from {Path} ({Format})")]
    public static partial void WeightsImported(ILogger logger, string path, int tensors, string format);
}
