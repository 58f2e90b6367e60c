using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;

namespace MultiTask.Landmarks.Tests.Runtime;

[Collection(TorchCollection.Name)]
public sealed class TorchRuntimeTests
{
    [Fact]
    public void Initialize_Cpu_RunsATensorOperationWithoutManualSteps()
    {
        TorchRuntimeInfo info =
            TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu, CpuThreads = 2 });

        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, device: info.Device);
        var b = torch.tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 }, device: info.Device);
        float[] product = a.matmul(b).data<float>().ToArray();

        Assert.Equal(DeviceType.CPU, info.Device.type);
        Assert.Equal(2, info.CpuThreads);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product);
    }

    [SkippableFact]
    public void KeepFreedMemory_LinuxWithGlibc_TakesEffectOnceAndStays()
    {
        // glibc exports gnu_get_libc_version; musl and other C libraries do not, and keep their defaults.
        Skip.IfNot(OperatingSystem.IsLinux(), "Not Linux.");
        bool glibc = System.Runtime.InteropServices.NativeLibrary.TryLoad("libc.so.6", out nint libc)
            && System.Runtime.InteropServices.NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _);
        Skip.IfNot(glibc, "Not glibc.");

        Assert.True(NativeAllocator.KeepFreedMemory());
        Assert.True(NativeAllocator.KeepFreedMemory());
    }

    [SkippableFact]
    public void Initialize_CudaOnCpuBackend_ThrowsWithThePackageToReference()
    {
        TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cpu });
        Skip.If(torch.cuda.is_available(), "A CUDA device is present.");

        var error = Assert.Throws<TorchBackendException>(
            () => TorchRuntime.Initialize(new TorchRuntimeOptions { Device = DeviceRequest.Cuda() }));

        Assert.Contains("TorchSharp-cuda-linux", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchBackend=cuda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_Auto_FallsBackToCpuWithoutCuda()
    {
        TorchRuntimeInfo info = TorchRuntime.Initialize();

        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, info.Device.type);
    }

    [Fact]
    public void Initialize_ZeroThreads_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => TorchRuntime.Initialize(new TorchRuntimeOptions { CpuThreads = 0 }));
    }
}
