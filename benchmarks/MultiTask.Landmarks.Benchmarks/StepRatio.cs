using System.Diagnostics;
using System.Globalization;
using MultiTask.Landmarks.Runtime;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// <c>ratio architecture baseline [batch] [rounds] [threads]</c>: the training step of an architecture against that
/// of a baseline, taken in alternation (one step of each per round) so that the drifts of a shared virtual machine
/// hit both alike; prints the median step of each and the median of the rounds' ratios. This is how issue 4's
/// "T columns cost at most 1.15 x T one-column steps" is checked: a run of BenchmarkDotNet measures one
/// architecture minutes after the other, and on this machine the speed of the same step moved by up to 40 % within
/// minutes.
/// </summary>
internal static class StepRatio
{
    public static void Run(string[] args)
    {
        if (args.Length < 2)
        {
            throw new ArgumentException("usage: ratio ARCHITECTURE BASELINE [batch] [rounds] [threads]");
        }

        int batchSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
        int threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : BenchmarkConfig.Threads;
        TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = threads });

        using var candidate = new TrainingStep(Architectures.Get(args[0]), batchSize);
        using var baseline = new TrainingStep(Architectures.Get(args[1]), batchSize);
        for (int i = 0; i < 10; i++)
        {
            candidate.Run();
            baseline.Run();
        }

        var candidateTimes = new double[rounds];
        var baselineTimes = new double[rounds];
        var ratios = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            candidateTimes[i] = Time(candidate);
            baselineTimes[i] = Time(baseline);
            ratios[i] = candidateTimes[i] / baselineTimes[i];
        }

        int columns = candidate.Columns;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]} against {args[1]}, batch {batchSize}, {rounds} rounds, {get_num_threads()} threads"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median step {args[0]}: {Median(candidateTimes):F2} ms, {args[1]}: {Median(baselineTimes):F2} ms"));
        double ratio = Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median ratio {ratio:F3} (quartiles {Quantile(ratios, 0.25):F3}-{Quantile(ratios, 0.75):F3})" +
            $" = {ratio / columns:F3} x T for T = {columns} columns"));
    }

    private static double Time(TrainingStep step)
    {
        long start = Stopwatch.GetTimestamp();
        step.Run();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
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
