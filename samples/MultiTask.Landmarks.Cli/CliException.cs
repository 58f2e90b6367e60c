namespace MultiTask.Landmarks.Cli;

/// <summary>A problem with the user's input: printed as one line with what to do, never as a stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
