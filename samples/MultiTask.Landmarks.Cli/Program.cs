using MultiTask.Landmarks.Cli;

return await MtlApp.RunAsync(args);
