using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>Loads libtorch on the CPU with <see cref="BenchmarkConfig.Threads"/> threads; every setup calls it first.
/// </summary>
internal static class Torch
{
    public static void Initialize() =>
        TorchRuntime.Initialize(
            new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = BenchmarkConfig.Threads });
}
