using System.Reflection;
using BenchmarkDotNet.Running;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// Runs the benchmarks BenchmarkDotNet's command line selects (<c>--filter</c>, <c>--job short</c>, ...), or the
/// stopwatch tools <c>profile</c> (<see cref="Profile"/>), <c>ratio</c> (<see cref="StepRatio"/>) and <c>layers</c>
/// (<see cref="LayerProfile"/>).
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "layers")
        {
            LayerProfile.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "ratio")
        {
            StepRatio.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "profile")
        {
            Profile.Run(args[1..]);
            return;
        }

        // The child `dotnet build` of each benchmark process inherits this, so the generated project gets the
        // libLibTorchSharp.so remedy too (see BenchmarkProcess.targets).
        string? targets = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BenchmarkProcessTargets")?.Value;
        if (targets is not null && File.Exists(targets)
            && Environment.GetEnvironmentVariable("CustomAfterMicrosoftCommonTargets") is null)
        {
            Environment.SetEnvironmentVariable("CustomAfterMicrosoftCommonTargets", targets);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
    }
}
