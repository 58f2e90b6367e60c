using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace MultiTask.Landmarks.Runtime;

/// <summary>
/// The one entry point that loads libtorch, picks the compute device and sets the CPU thread count. Every other part of
/// the library calls it (with the caller's options) before it makes a tensor.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool cpuBackendLoaded;
    private static string? loggedDevice;
    private static bool loggedAllocator;

    /// <summary>Loads libtorch, resolves the requested device and applies the CPU thread count.</summary>
    /// <param name="options">The device and threads to use; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where the chosen device is logged, once per process and device.</param>
    /// <returns>The chosen device and what was found.</returns>
    /// <exception cref="TorchBackendException">libtorch cannot be loaded, or CUDA was requested and is absent. The
    /// message says which package to reference, or which system library is too old.</exception>
    public static TorchRuntimeInfo Initialize(TorchRuntimeOptions? options = null, ILogger? logger = null)
    {
        options ??= new TorchRuntimeOptions();
        logger ??= NullLogger.Instance;
        if (options.CpuThreads is < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.CpuThreads, "CpuThreads must be at least 1.");
        }

        lock (Gate)
        {
            if (options.KeepFreedNativeMemory && NativeAllocator.KeepFreedMemory() && !loggedAllocator)
            {
                loggedAllocator = true;
                RuntimeLog.FreedMemoryKept(logger);
            }

            EnsureCpuBackend();
            if (options.CpuThreads is int threads && torch.get_num_threads() != threads)
            {
                torch.set_num_threads(threads);
            }

            int cudaDevices = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
            torch.Device device = Resolve(options.Device, cudaDevices);
            var info = new TorchRuntimeInfo(device, torch.get_num_threads(), cudaDevices);
            string description = info.ToString();
            if (loggedDevice != description)
            {
                loggedDevice = description;
                string chosen = device.ToString();
                string requested = options.Device.ToString();
                RuntimeLog.DeviceChosen(logger, chosen, requested, info.CpuThreads, cudaDevices);
            }

            return info;
        }
    }

    private static void EnsureCpuBackend()
    {
        if (cpuBackendLoaded)
        {
            return;
        }

        // Diagnose the known Linux cause before TorchSharp tries: its own failure text blames a missing package.
        string? libstdcxxProblem = NativeLibraryDiagnostics.FindMissingLibStdCxxVersions();
        if (libstdcxxProblem is not null)
        {
            throw new TorchBackendException(libstdcxxProblem);
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            cpuBackendLoaded = true;
        }
        catch (Exception exception) when (exception is NotSupportedException or DllNotFoundException
                                          or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new TorchBackendException(NativeLibraryDiagnostics.DescribeLoadFailure(), exception);
        }
    }

    private static torch.Device Resolve(DeviceRequest request, int cudaDevices)
    {
        switch (request.Kind)
        {
            case ComputeDeviceKind.Cpu:
                return torch.CPU;
            case ComputeDeviceKind.Auto:
                return cudaDevices > 0 ? new torch.Device(DeviceType.CUDA, 0) : torch.CPU;
            case ComputeDeviceKind.Cuda when cudaDevices == 0:
                throw new TorchBackendException(NativeLibraryDiagnostics.DescribeMissingCuda());
            case ComputeDeviceKind.Cuda when request.Index >= cudaDevices:
                throw new TorchBackendException(string.Create(CultureInfo.InvariantCulture,
                    $"CUDA device {request.Index} was requested but libtorch sees {cudaDevices} CUDA device(s) " +
                    $"(indices 0 to {cudaDevices - 1}). Choose an index below {cudaDevices} " +
                    $"or check CUDA_VISIBLE_DEVICES."));
            default:
                return new torch.Device(DeviceType.CUDA, request.Index);
        }
    }
}
