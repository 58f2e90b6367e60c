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
}
