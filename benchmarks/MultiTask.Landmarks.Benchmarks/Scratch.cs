using System.Diagnostics;
using System.Globalization;
using MultiTask.Landmarks.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

internal static class Scratch
{
    public static void Run(string[] args)
    {
        int threads = int.Parse(args[0], CultureInfo.InvariantCulture);
        int n = int.Parse(args[1], CultureInfo.InvariantCulture);
        TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = threads });
        var shapes = new (int Cin, int H, int Cout, int K)[] { (1, 40, 16, 5), (16, 18, 48, 3), (48, 8, 64, 3), (64, 3, 64, 2) };
        using (no_grad())
        {
            using var t = randn(n, 16, 36, 36);
            using var tl = t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
            Report("tanh", 30, () => { using var s = NewDisposeScope(); t.tanh(); });
            Report("abs", 30, () => { using var s = NewDisposeScope(); t.abs(); });
            Report("tanh_ abs_ in place", 30, () => { using var s = NewDisposeScope(); t.clone().tanh_().abs_(); });
            Report("clone", 30, () => { using var s = NewDisposeScope(); t.clone(); });
            Report("pool", 30, () => { using var s = NewDisposeScope(); nn.functional.max_pool2d(t, 2, 2); });
            Report("pool channels-last", 30, () => { using var s = NewDisposeScope(); nn.functional.max_pool2d(tl, 2, 2); });
            Report("pool then tanh abs", 30, () => { using var s = NewDisposeScope(); nn.functional.max_pool2d(t, 2, 2).tanh().abs(); });
            Report("relu", 30, () => { using var s = NewDisposeScope(); nn.functional.relu(t); });
            Report("sigmoid", 30, () => { using var s = NewDisposeScope(); t.sigmoid(); });
        }

        foreach (bool grad in new[] { false, true })
        foreach (var (cin, h, cout, k) in shapes)
        {
            using var conv = nn.Conv2d(cin, cout, k);
            using var x0 = randn(n, cin, h, h);
            using var x = grad ? x0.requires_grad_(true) : x0;
            Report($"conv {cin}->{cout} k{k} on {h} grad={grad}", 30, () =>
            {
                using var s = NewDisposeScope();
                var y = conv.forward(x);
                if (grad) { y.sum().backward(); }
            });
            Report($"  tanh+abs+pool", 30, () =>
            {
                using var s = NewDisposeScope();
                using var d = grad ? null : no_grad();
                var y = conv.forward(x);
                var z = y.tanh().abs();
                if (h > 3) { z = nn.functional.max_pool2d(z, 2, 2); }
                if (grad) { z.sum().backward(); }
            });
            using var xc = x0.detach().permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
            using (no_grad())
            {
                using var w = conv.weight!.detach().permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
                conv.weight!.set_(w);
            }
            Report($"  channels-last conv", 30, () =>
            {
                using var s = NewDisposeScope();
                var y = conv.forward(grad ? xc.requires_grad_(true) : xc);
                if (grad) { y.sum().backward(); }
            });
        }
    }

    private static void Report(string name, int repeats, Action action)
    {
        for (int i = 0; i < 5; i++) action();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) action();
        double wall = clock.Elapsed.TotalMilliseconds / repeats;
        double used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} wall {wall,8:F3} ms cpu {used,8:F3} ms"));
    }
}
