using System.Runtime.InteropServices;

namespace MultiTask.Landmarks.Runtime;

/// <summary>
/// Keeps glibc's malloc from handing libtorch's activation buffers back to the kernel after every step. By default
/// glibc serves blocks above a moving threshold with fresh mmap calls and trims the heap's free top, so a training
/// step that frees and reallocates megabytes of activations pays page faults on them again, step after step; on this
/// project's 2-core virtual machine that made the same TCDCN step take 15-25 ms depending on which other network
/// shared the process. Fixing the mmap threshold at its maximum (32 MiB) and turning off trimming keeps freed blocks
/// in the heap for the next step, at the price of the process holding on to its peak heap.
/// </summary>
internal static partial class NativeAllocator
{
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int LargestMmapThreshold = 32 * 1024 * 1024;

    private static readonly object Gate = new();
    private static bool? applied;

    /// <summary>Applies the settings once per process on Linux with glibc.</summary>
    /// <returns>Whether the settings are in effect: false elsewhere (another OS, or a C library without
    /// <c>mallopt</c>).</returns>
    public static bool KeepFreedMemory()
    {
        lock (Gate)
        {
            if (applied is bool done)
            {
                return done;
            }

            applied = OperatingSystem.IsLinux() && TryApply();
            return applied.Value;
        }
    }

    private static bool TryApply()
    {
        try
        {
            // mallopt returns 1 on success; a C library without it (or with a stub) leaves the defaults.
            return mallopt(MmapThreshold, LargestMmapThreshold) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int parameter, int value);
}
