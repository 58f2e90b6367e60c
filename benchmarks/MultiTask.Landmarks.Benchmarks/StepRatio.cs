using System.Diagnostics;
using System.Globalization;
using MultiTask.Landmarks.Runtime;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// <c>ratio architecture baseline [batch] [rounds] [threads] [block]</c>: the training step of an architecture
/// against that of a baseline. Each round runs a block of consecutive steps of one network, then a block of the other,
/// and compares the median steps of the two blocks (the first step of each block is left out); the tool prints the
/// median step of each network and the median of the rounds' ratios. Alternating keeps the drifts of a shared virtual
/// machine (up to 40 % within minutes) on both alike; blocks keep each step where it is in real training, after a
/// step of the same network: with one step of each in turn (block 1), the single-task step took 18-20 ms next to the
/// two-column cross-stitch network and 24-26 ms next to two independent columns, which moved their ratios by a
/// quarter. This is how issue 4's "T columns cost at most 1.15 x T one-column steps" is checked.
/// </summary>
internal static class StepRatio
{
    public static void Run(string[] args)
    {
        if (args.Length < 2)
        {
            throw new ArgumentException("usage: ratio ARCHITECTURE BASELINE [batch] [rounds] [threads] [block]");
        }

        int batchSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
        int threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : BenchmarkConfig.Threads;
        int block = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 6;
        if (block < 1)
        {
            throw new ArgumentException($"The block must be at least 1 step, not {block}.");
        }
        TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = threads });

        // The trainer's generation-0 collection every 16 steps (Runtime.StepCollector) runs here between the timed
        // steps, so that its pauses fall on neither network's medians.
        using var candidate = new TrainingStep(Architectures.Get(args[0]), batchSize, collect: false);
        using var baseline = new TrainingStep(Architectures.Get(args[1]), batchSize, collect: false);
        var collector = new StepCollector();
        for (int i = 0; i < 10; i++)
        {
            candidate.Run();
            collector.StepDone();
            baseline.Run();
            collector.StepDone();
        }

        var candidateTimes = new double[rounds];
        var baselineTimes = new double[rounds];
        var ratios = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            candidateTimes[i] = Time(candidate, block, collector);
            baselineTimes[i] = Time(baseline, block, collector);
            ratios[i] = candidateTimes[i] / baselineTimes[i];
        }

        int columns = candidate.Columns;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]} against {args[1]}, batch {batchSize}, {rounds} rounds of {block}-step blocks, " +
            $"{get_num_threads()} threads"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median step {args[0]}: {Median(candidateTimes):F2} ms, {args[1]}: {Median(baselineTimes):F2} ms"));
        double ratio = Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median ratio {ratio:F3} (quartiles {Quantile(ratios, 0.25):F3}-{Quantile(ratios, 0.75):F3})" +
            $" = {ratio / columns:F3} x T for T = {columns} columns"));
    }

    /// <summary>Runs a block of steps; returns the median of its steps after the first (the only one, for 1).
    /// </summary>
    private static double Time(TrainingStep step, int block, StepCollector collector)
    {
        var times = new double[Math.Max(1, block - 1)];
        for (int i = 0; i < block; i++)
        {
            long start = Stopwatch.GetTimestamp();
            step.Run();
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            collector.StepDone();
            if (block == 1 || i > 0)
            {
                times[block == 1 ? 0 : i - 1] = elapsed;
            }
        }

        return Median(times);
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        double[] sorted = values.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
