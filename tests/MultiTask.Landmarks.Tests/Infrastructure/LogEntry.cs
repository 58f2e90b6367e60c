using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(
    LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
