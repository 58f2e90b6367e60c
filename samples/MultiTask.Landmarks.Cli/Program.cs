using System.CommandLine;
using MultiTask.Landmarks.Cli;
using MultiTask.Landmarks.Cli.Commands;

var global = new GlobalOptions();
var root = new RootCommand("mtl: train, evaluate and run multi-task facial landmark models (MultiTask.Landmarks).");
root.Options.Add(global.Verbose);
root.Subcommands.Add(TrainCommand.Create(global));
root.Subcommands.Add(EvaluateCommand.Create(global));
root.Subcommands.Add(PredictCommand.Create(global));

// Ctrl-C is handled by each verb (training writes a checkpoint first), so the parser must not end the process.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
