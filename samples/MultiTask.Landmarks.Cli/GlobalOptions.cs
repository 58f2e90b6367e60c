using System.CommandLine;

namespace MultiTask.Landmarks.Cli;

/// <summary>Options every verb accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log everything the library does, and print stack traces of errors.",
        Recursive = true,
    };
}
