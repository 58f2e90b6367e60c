using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Runtime;

/// <summary>Source-generated log messages of the runtime layer (event ids 1000-1099).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1000, EventName = "DeviceChosen", Level = LogLevel.Information,
        Message = "libtorch device {Device} (requested {Requested}), {CpuThreads} CPU threads, " +
            "{CudaDevices} CUDA devices")]
    public static partial void DeviceChosen(
        ILogger logger, string device, string requested, int cpuThreads, int cudaDevices);

    [LoggerMessage(EventId = 1001, EventName = "FreedMemoryKept", Level = LogLevel.Debug,
        Message = "glibc malloc keeps freed native memory for reuse (mmap threshold 32 MiB, no trimming); " +
            "TorchRuntimeOptions.KeepFreedNativeMemory = false leaves its defaults")]
    public static partial void FreedMemoryKept(ILogger logger);
}
