using System.Diagnostics;
using System.Globalization;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// <c>profile [architecture] [batch] [steps] [threads]</c>: a plain stopwatch loop that splits a training step into its
/// phases and times forward passes, for quick looks between BenchmarkDotNet runs. It prints; the numbers in
/// docs/benchmarks.md come from BenchmarkDotNet.
/// </summary>
internal static class Profile
{
    public static void Run(string[] args)
    {
        string architecture = args.Length > 0 ? args[0] : "shared";
        int batchSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        int threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : BenchmarkConfig.Threads;
        TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = threads });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{architecture}, batch {batchSize}, {steps} steps, {get_num_threads()} threads"));

        using (var step = new TrainingStep(Architectures.Get(architecture), batchSize))
        {
            var phases = new StepPhases();
            for (int i = 0; i < 20; i++)
            {
                step.Run(phases);
            }

            phases.Clear();
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < steps; i++)
            {
                step.Run(phases);
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

            foreach (StepPhase phase in Enum.GetValues<StepPhase>())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {phase,-10} {1000 * phases[phase] / steps,8:F3} ms"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  step       {1000 * phases.Total / steps,8:F3} ms = " +
                $"{steps * batchSize / phases.Total,8:F0} faces/s (CPU time {cpu.TotalMilliseconds / steps:F3} ms)"));
        }

        using ColumnNetwork network = NetworkFactory.Create(Architectures.Get(architecture));
        network.eval();
        foreach (int size in new[] { 1, 64, 256 })
        {
            using var batch = SyntheticBatch.Create(size, network.InputShape);
            int repeats = Math.Max(10, steps * 20 / size);
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double seconds = Time(repeats, () =>
            {
                using var scope = NewDisposeScope();
                using var mode = inference_mode();
                return network.forward(batch.Images)["landmarks"].data<float>()[0];
            });
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  forward {size,3}: {1e3 * seconds / repeats,8:F3} ms = {repeats * size / seconds,8:F0} faces/s" +
                $" (CPU time {cpu.TotalMilliseconds / repeats:F3} ms)"));
        }
    }

    private static double Time(int repeats, Func<float> action)
    {
        for (int i = 0; i < Math.Max(5, repeats / 10); i++)
        {
            action();
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            action();
        }

        return clock.Elapsed.TotalSeconds;
    }
}
