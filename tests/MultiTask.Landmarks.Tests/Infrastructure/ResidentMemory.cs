using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>
/// Measures the process's resident memory after a full garbage collection (so that tensors only waiting for their
/// finalizer do not count), after ImageSharp's buffer pool has let go of its retained buffers and, on Linux with
/// glibc, after <c>malloc_trim</c> has returned free heap pages: what remains is memory something still holds, which
/// is what a leak grows.
/// </summary>
public static class ResidentMemory
{
    public static long Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        SixLabors.ImageSharp.Configuration.Default.MemoryAllocator.ReleaseRetainedResources();
        TrimNativeHeap();
        using Process process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";

    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries have no malloc_trim; the measurement then includes their free pages.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
