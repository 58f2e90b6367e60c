using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>A logger that keeps every entry, with its event id and structured values, for assertions.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly List<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (entries)
            {
                return entries.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>>
            ?? Array.Empty<KeyValuePair<string, object?>>();
        var entry = new LogEntry(logLevel, eventId, formatter(state, exception),
            values.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));
        lock (entries)
        {
            entries.Add(entry);
        }
    }

    public IReadOnlyList<LogEntry> WithId(int id) => Entries.Where(e => e.EventId.Id == id).ToArray();
}
