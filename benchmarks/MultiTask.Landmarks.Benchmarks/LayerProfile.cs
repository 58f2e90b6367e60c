using System.Diagnostics;
using System.Globalization;
using MultiTask.Landmarks.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// <c>layers [threads] [batch]</c>: times TCDCN's layers one by one (each convolution alone, with its activation and
/// pooling, and on channels-last memory; the activations and pooling on their own), in wall and process CPU time.
/// It found that max pooling on NCHW memory cost more than the convolutions; see docs/benchmarks.md.
/// </summary>
internal static class LayerProfile
{
    private static readonly (int Inputs, int Size, int Outputs, int Kernel)[] Convolutions =
    [
        (1, 40, 16, 5), (16, 18, 48, 3), (48, 8, 64, 3), (64, 3, 64, 2),
    ];

    public static void Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : BenchmarkConfig.Threads;
        int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = threads });
        using (no_grad())
        {
            // The first stage's output at batch n: where most of the elementwise work is.
            using Tensor map = randn(n, 16, 36, 36);
            using Tensor mapLast = ChannelsLast(map);
            Report("tanh", () => map.tanh());
            Report("abs", () => map.abs());
            Report("max pool 2x2", () => nn.functional.max_pool2d(map, 2, 2));
            Report("max pool 2x2, channels-last", () => nn.functional.max_pool2d(mapLast, 2, 2));
        }

        foreach (bool backward in new[] { false, true })
        {
            foreach ((int inputs, int size, int outputs, int kernel) in Convolutions)
            {
                using var conv = nn.Conv2d(inputs, outputs, kernel);
                using Tensor x = randn(n, inputs, size, size);
                using Tensor xLast = ChannelsLast(x);
                string name = string.Create(CultureInfo.InvariantCulture,
                    $"conv {inputs}->{outputs} {kernel}x{kernel} on {size}x{size}{(backward ? " +backward" : "")}");
                Report(name, () => Stage(conv, x, false, backward));
                Report("  with |tanh| and pooling", () => Stage(conv, x, true, backward));
                Report("  channels-last, with |tanh| and pooling", () => Stage(conv, xLast, true, backward));
            }
        }
    }

    private static Tensor Stage(nn.Module<Tensor, Tensor> conv, Tensor input, bool activate, bool backward)
    {
        using var grad = backward ? enable_grad() : no_grad();
        Tensor y = conv.forward(input);
        if (activate)
        {
            y = y.tanh().abs();
            y = y.shape[2] > 3 ? nn.functional.max_pool2d(y, 2, 2) : y;
        }

        if (backward)
        {
            y.sum().backward();
        }

        return y;
    }

    private static Tensor ChannelsLast(Tensor x)
    {
        long[] s = x.shape;
        Tensor result = empty_strided(s, new[] { s[1] * s[2] * s[3], 1, s[3] * s[1], s[1] });
        return result.copy_(x);
    }

    private static void Report(string name, Func<Tensor> action, int repeats = 30)
    {
        for (int i = 0; i < 5; i++)
        {
            using var warm = NewDisposeScope();
            action();
        }

        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            using var scope = NewDisposeScope();
            action();
        }

        double wall = clock.Elapsed.TotalMilliseconds / repeats;
        double used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} wall {wall,8:F3} ms, CPU {used,8:F3} ms"));
    }
}
