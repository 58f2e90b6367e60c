using System.Runtime.InteropServices;
using System.Text;
using MultiTask.Landmarks.Build;

namespace MultiTask.Landmarks.Runtime;

/// <summary>Turns libtorch load failures into messages that say what is missing and how to fix it.</summary>
internal static class NativeLibraryDiagnostics
{
    private const string BackendAdvice =
        "Reference one libtorch backend package in the application (not in a library): " +
        "libtorch-cpu-linux-x64, libtorch-cpu-win-x64 or libtorch-cpu-osx-arm64 2.10.0 for the CPU, " +
        "or TorchSharp-cuda-linux / TorchSharp-cuda-windows 0.107.0 for NVIDIA GPUs. See docs/backends.md.";

    /// <summary>
    /// Finds the libLibTorchSharp.so the application will load and returns a message when it needs a libstdc++ version
    /// that this process's libstdc++ lacks; <see langword="null"/> when there is no such problem or nothing to check.
    /// </summary>
    internal static string? FindMissingLibStdCxxVersions()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return null;
        }

        string? wrapper = FindNativeFile("libLibTorchSharp.so");
        string? libstdcxx = FindLoadedLibrary("libstdc++.so");
        if (wrapper is null || libstdcxx is null)
        {
            return null;
        }

        try
        {
            byte[] provided = File.ReadAllBytes(libstdcxx);
            var missing = ElfVersionNeeds.Read(wrapper)
                .Where(need => need.Library.StartsWith("libstdc++", StringComparison.Ordinal) && !need.IsWeak)
                .Select(need => need.Version)
                .Where(version => !Contains(provided, version))
                .Distinct()
                .ToList();
            if (missing.Count == 0)
            {
                return null;
            }

            return $"libtorch cannot load: '{wrapper}' needs {string.Join(", ", missing)} from libstdc++, " +
                   $"but this system's '{libstdcxx}' is older (GCC 12's libstdc++, as on Debian 12 and " +
                   "Ubuntu 22.04). " +
                   "The MultiTask.Landmarks package marks that requirement weak in the build and publish " +
                   "output; this " +
                   "copy was not patched. Rebuild or republish the application with the MultiTask.Landmarks package " +
                   "referenced (and MultiTaskLandmarksPatchLibTorchSharp not set to false), or run on a system with " +
                   "GCC 13's libstdc++ or newer. See docs/backends.md.";
        }
        catch (Exception exception)
            when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // An unreadable file is no diagnosis; TorchSharp's own load attempt reports what went wrong.
            return null;
        }
    }

    internal static string DescribeLoadFailure()
    {
        var message = new StringBuilder("libtorch could not be loaded. ");
        message.Append(BackendAdvice);
        message.Append(" Looked for the native wrapper in: ");
        message.Append(string.Join(", ", NativeSearchFolders()));
        message.Append('.');
        return message.ToString();
    }

    internal static string DescribeMissingCuda()
    {
        bool cudaBackendPresent = FindNativeFile(RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? "torch_cuda.dll"
            : "libtorch_cuda.so") is not null;
        if (cudaBackendPresent)
        {
            return "CUDA was requested and a CUDA libtorch backend is present, but libtorch sees no CUDA device. " +
                   "Check the NVIDIA driver (nvidia-smi), that it supports CUDA 12.8, and CUDA_VISIBLE_DEVICES; " +
                   "or ask for the device auto or cpu.";
        }

        return "CUDA was requested but the application references a CPU-only libtorch backend. Reference " +
               "TorchSharp-cuda-linux (Linux) or TorchSharp-cuda-windows (Windows) 0.107.0 instead of libtorch-cpu-* " +
               "(in this repository: build with -p:TorchBackend=cuda), or ask for the device auto or cpu.";
    }

    private static IEnumerable<string> NativeSearchFolders()
    {
        string baseDirectory = AppContext.BaseDirectory;
        yield return baseDirectory;
        yield return Path.Combine(baseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        string rid = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux";
        string architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        yield return Path.Combine(baseDirectory, "runtimes", $"{rid}-{architecture}", "native");
    }

    private static string? FindNativeFile(string name) =>
        NativeSearchFolders().Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    /// <summary>Finds the path of a shared library already mapped into this process (the .NET host loads
    /// libstdc++ itself, so its copy is the one libtorch will bind to).</summary>
    private static string? FindLoadedLibrary(string namePrefix)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (string line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            string path = line[slash..].Trim();
            if (Path.GetFileName(path).StartsWith(namePrefix, StringComparison.Ordinal) && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static bool Contains(byte[] haystack, string version)
    {
        // Version names sit in the dynamic string table as NUL-terminated strings.
        byte[] needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        return haystack.AsSpan().IndexOf(needle) >= 0;
    }
}
