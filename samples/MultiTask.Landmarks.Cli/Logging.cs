using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Cli;

/// <summary>The console logger of mtl: warnings by default, everything with --verbose; always on standard error so
/// that JSON on standard output stays clean.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        })
        .AddFilter((_, _, level) => level >= (verbose ? LogLevel.Debug : LogLevel.Warning)));
}
