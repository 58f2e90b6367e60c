namespace MultiTask.Landmarks.Cli;

/// <summary>The process exit codes of mtl.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Bad input (arguments, files), or problems found by inspect.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted with Ctrl-C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
