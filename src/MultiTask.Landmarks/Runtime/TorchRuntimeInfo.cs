using TorchSharp;

namespace MultiTask.Landmarks.Runtime;

/// <summary>What <see cref="TorchRuntime.Initialize(TorchRuntimeOptions?, Microsoft.Extensions.Logging.ILogger?)"/>
/// found and chose.</summary>
public sealed class TorchRuntimeInfo
{
    internal TorchRuntimeInfo(torch.Device device, int cpuThreads, int cudaDeviceCount)
    {
        Device = device;
        CpuThreads = cpuThreads;
        CudaDeviceCount = cudaDeviceCount;
    }

    /// <summary>Gets the device that models and tensors should be placed on.</summary>
    public torch.Device Device { get; }

    /// <summary>Gets a value indicating whether <see cref="Device"/> is a CUDA device.</summary>
    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>Gets the number of threads libtorch uses for CPU operations.</summary>
    public int CpuThreads { get; }

    /// <summary>Gets the number of CUDA devices visible to libtorch (0 with a CPU backend).</summary>
    public int CudaDeviceCount { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Device} ({CpuThreads} CPU threads, {CudaDeviceCount} CUDA devices)";
}
