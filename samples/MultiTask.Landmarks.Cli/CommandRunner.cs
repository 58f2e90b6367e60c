using System.CommandLine;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Runtime;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli;

/// <summary>Runs a verb: sets up logging and Ctrl-C, and turns errors into one line with what to do and an exit code.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(
        ParseResult result,
        GlobalOptions global,
        CancellationToken cancellation,
        Func<ILogger, CancellationToken, Task<int>> verb)
    {
        bool verbose = result.GetValue(global.Verbose);
        using ILoggerFactory factory = Logging.Create(verbose);
        ILogger logger = factory.CreateLogger("mtl");

        // Ctrl-C asks the verb to stop (training then writes a checkpoint); a second Ctrl-C ends the process at once.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            if (!interrupt.IsCancellationRequested)
            {
                e.Cancel = true;
                interrupt.Cancel();
                Console.Error.WriteLine("Stopping after the current batch (Ctrl-C again to abort)...");
            }
        };
        Console.CancelKeyPress += handler;
        try
        {
            int code = await verb(logger, interrupt.Token);
            return interrupt.IsCancellationRequested && code == ExitCodes.Success ? ExitCodes.Interrupted : code;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception exception) when (exception is CliException or TorchBackendException or InvalidDataException
                                              or FileNotFoundException or DirectoryNotFoundException or IOException
                                              or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            if (verbose)
            {
                Console.Error.WriteLine(exception);
            }

            return exception is CliException cli ? cli.ExitCode : ExitCodes.BadInput;
        }
        catch (Exception exception) when (!verbose)
        {
            Console.Error.WriteLine($"error: {exception.Message} (run with --verbose for details)");
            return ExitCodes.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }

    public static void ReportProblems(IReadOnlyList<ReadProblem> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        AnsiConsole.MarkupLine(Markup.Escape($"Skipped {problems.Count} bad samples (--lenient):"));
        foreach (ReadProblem problem in problems.Take(10))
        {
            AnsiConsole.MarkupLine(Markup.Escape($"  {problem}"));
        }

        if (problems.Count > 10)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"  ... and {problems.Count - 10} more"));
        }
    }
}
