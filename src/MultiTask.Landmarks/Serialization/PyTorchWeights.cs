using MultiTask.Landmarks.IO;
using System.Collections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Serialization;

/// <summary>
/// Exports and imports a module's weights in PyTorch's formats through TorchSharp.PyBridge: safetensors, and a state
/// dict pickled as <c>torch.save(model.state_dict(), path)</c> writes it (.pt, .pth, .bin). Keys are the module's
/// state-dict keys; Python code that builds the same architecture with the same field names loads them with
/// <c>load_state_dict</c>. Files are written atomically; imports check keys, shapes and dtypes exactly and load nothing
/// when anything differs.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>Writes a module's state dict as safetensors.</summary>
    /// <param name="module">The module; it is not modified.</param>
    /// <param name="path">The destination.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ExportSafetensors(nn.Module module, string path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> stateDict = CpuStateDict(module);

        AtomicFile.Write(path, stream => Safetensors.SaveStateDict(stream, stateDict, leaveOpen: true));
        SerializationLog.WeightsExported(logger ?? NullLogger.Instance, path, stateDict.Count, "safetensors");
    }

    /// <summary>Loads safetensors weights into a module whose state dict they match exactly.</summary>
    /// <param name="module">The module; it keeps its device.</param>
    /// <param name="path">The file.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file cannot be parsed, or its weights do not fit the module (the
    /// message lists the missing, unexpected and mismatched keys).</exception>
    public static void ImportSafetensors(nn.Module module, string path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        RequireFile(path);
        using var scope = NewDisposeScope();

        Dictionary<string, Tensor> weights = Parse(path, "safetensors", () => Safetensors.LoadStateDict(path));
        StateDictLoader.Load(module, weights, path);
        SerializationLog.WeightsImported(logger ?? NullLogger.Instance, path, weights.Count, "safetensors");
    }

    /// <summary>Writes a module's state dict in PyTorch's pickle format, loadable with <c>torch.load</c>.</summary>
    /// <param name="module">The module; it is not modified.</param>
    /// <param name="path">The destination.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ExportStateDict(nn.Module module, string path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> stateDict = CpuStateDict(module);

        AtomicFile.Write(path, stream => PyTorchPickler.PickleStateDict(stream, stateDict, leaveOpen: true));
        SerializationLog.WeightsExported(logger ?? NullLogger.Instance, path, stateDict.Count, "pytorch");
    }

    /// <summary>Loads a PyTorch state dict (as <c>torch.save(model.state_dict(), path)</c> writes it, in the zip format
    /// of PyTorch 1.6 and later) into a module whose state dict it matches exactly.</summary>
    /// <param name="module">The module; it keeps its device.</param>
    /// <param name="path">The file.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file cannot be parsed, holds something other than tensors, or its
    /// weights do not fit the module.</exception>
    public static void ImportStateDict(nn.Module module, string path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        RequireFile(path);
        using var scope = NewDisposeScope();

        Dictionary<string, Tensor> weights = Parse(path, "PyTorch state dict", () => ToTensors(
            PyTorchUnpickler.UnpickleStateDict(path), path));
        StateDictLoader.Load(module, weights, path);
        SerializationLog.WeightsImported(logger ?? NullLogger.Instance, path, weights.Count, "pytorch");
    }

    // Parameters may live on a GPU and be views; the writers want plain CPU tensors.
    private static Dictionary<string, Tensor> CpuStateDict(nn.Module module) =>
        module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().contiguous(), StringComparer.Ordinal);

    private static Dictionary<string, Tensor> ToTensors(Hashtable table, string path)
    {
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
            {
                throw new ModelFileException(
                    path, $"entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor; only " +
                    "plain state dicts can be imported.");
            }

            weights.Add(key, tensor);
        }

        return weights;
    }

    private static Dictionary<string, Tensor> Parse(string path, string format, Func<Dictionary<string, Tensor>> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not ModelFileException and not OutOfMemoryException)
        {
            // PyBridge reports a malformed file with whatever its parser hit (JSON, zip, pickle or cast errors).
            throw new ModelFileException(path, $"not a readable {format} file: {e.Message}", e);
        }
    }

    private static void RequireFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Weights file '{path}' does not exist.", path);
        }
    }
}
