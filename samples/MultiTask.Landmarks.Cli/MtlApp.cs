using System.CommandLine;
using MultiTask.Landmarks.Cli.Commands;

namespace MultiTask.Landmarks.Cli;

/// <summary>The mtl command line: its verbs, and one entry point that the program and the tests both call.</summary>
internal static class MtlApp
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand CreateRoot()
    {
        var global = new GlobalOptions();
        var root = new RootCommand(
            "mtl: train, evaluate, compare and run multi-task facial landmark models (MultiTask.Landmarks).");
        root.Options.Add(global.Verbose);
        root.Subcommands.Add(TrainCommand.Create(global));
        root.Subcommands.Add(EvaluateCommand.Create(global));
        root.Subcommands.Add(PredictCommand.Create(global));
        root.Subcommands.Add(SynthCommand.Create(global));
        root.Subcommands.Add(CompareCommand.Create(global));
        root.Subcommands.Add(ProfileCommand.Create(global));
        root.Subcommands.Add(InspectCommand.Create(global));
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <param name="cancellation">Stops the verb as Ctrl-C would (training writes a checkpoint first).</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellation = default)
    {
        ParseResult parse = CreateRoot().Parse(args);

        // A mistyped option is bad input like any other: one line each, the way to get help, and exit code 2 (the
        // parser's own handling prints the whole help text and returns 1).
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Command command = parse.CommandResult.Command;
            string verb = command is RootCommand ? string.Empty : command.Name + " ";
            Console.Error.WriteLine($"Run 'mtl {verb}--help' to see the options.");
            return ExitCodes.BadInput;
        }

        // Ctrl-C is handled by each verb (training writes a checkpoint first), so the parser must not end the process.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancellation);
    }
}
