namespace MultiTask.Landmarks.Runtime;

/// <summary>
/// Options for
/// <see cref="TorchRuntime.Initialize(TorchRuntimeOptions?, Microsoft.Extensions.Logging.ILogger?)"/>.
/// </summary>
public sealed class TorchRuntimeOptions
{
    /// <summary>Gets or sets the device to use.</summary>
    /// <value>The default is <see cref="DeviceRequest.Auto"/>.</value>
    public DeviceRequest Device { get; set; } = DeviceRequest.Auto;

    /// <summary>Gets or sets the number of threads libtorch uses for CPU operations, or <see langword="null"/> to
    /// leave libtorch's choice (one per physical core).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? CpuThreads { get; set; }

    /// <summary>Gets or sets whether, on Linux with glibc, freed native memory stays in the process for reuse
    /// instead of going back to the kernel (glibc's <c>mallopt</c>: mmap threshold 32 MiB, no trimming). It is a
    /// process-wide setting, made once; it removes the page faults that otherwise hit every step's activations
    /// again (a TCDCN training step at batch 64: 17-18.6 ms with it, 18-25 ms without, on a 2-core virtual machine),
    /// and the process keeps its peak heap. Set it to <see langword="false"/> before the first initialization to
    /// leave the C library's defaults.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool KeepFreedNativeMemory { get; set; } = true;
}
