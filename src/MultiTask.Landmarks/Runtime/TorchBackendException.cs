namespace MultiTask.Landmarks.Runtime;

/// <summary>
/// Thrown when libtorch cannot be loaded or the requested device is not available. The message says what is missing
/// and how to fix it.
/// </summary>
public sealed class TorchBackendException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TorchBackendException"/> class.</summary>
    public TorchBackendException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TorchBackendException"/> class.</summary>
    /// <param name="message">What is missing and how to fix it.</param>
    public TorchBackendException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TorchBackendException"/> class.</summary>
    /// <param name="message">What is missing and how to fix it.</param>
    /// <param name="innerException">The error TorchSharp reported.</param>
    public TorchBackendException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
