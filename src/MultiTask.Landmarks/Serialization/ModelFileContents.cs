using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Serialization;

/// <summary>
/// A model file read into memory: its header and its weights as CPU tensors. The caller owns the tensors: dispose this
/// object (or let an enclosing dispose scope do so) when done with them.
/// </summary>
public sealed class ModelFileContents : IDisposable
{
    private readonly Dictionary<string, Tensor> weights;
    private bool disposed;

    internal ModelFileContents(string filePath, ModelFileHeader header, Dictionary<string, Tensor> weights)
    {
        FilePath = filePath;
        Header = header;
        this.weights = weights;
    }

    /// <summary>Gets the file the contents were read from.</summary>
    public string FilePath { get; }

    /// <summary>Gets the header.</summary>
    public ModelFileHeader Header { get; }

    /// <summary>Gets the weights by state-dict key, as CPU tensors owned by this object.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => weights;

    /// <summary>
    /// Copies the weights into a module after checking that the keys, shapes and dtypes match its state dict exactly.
    /// The module keeps its device; nothing is copied when anything differs.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelFileException">Keys are missing or unexpected, or shapes or dtypes differ; the message
    /// lists them.</exception>
    /// <exception cref="ObjectDisposedException">The contents were disposed.</exception>
    public void LoadInto(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ObjectDisposedException.ThrowIf(disposed, this);
        StateDictLoader.Load(module, weights, FilePath);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (Tensor tensor in weights.Values)
        {
            tensor.Dispose();
        }
    }
}
