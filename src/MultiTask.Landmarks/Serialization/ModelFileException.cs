namespace MultiTask.Landmarks.Serialization;

/// <summary>A model or weights file that cannot be read or does not fit the network it is loaded into. The message
/// names the file and says what is wrong.</summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="ModelFileException"/> class.</summary>
    public ModelFileException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFileException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ModelFileException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFileException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFileException"/> class for a file.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ModelFileException(string filePath, string problem, Exception? innerException = null)
        : base($"Model file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>Gets the file, or <see langword="null"/> when not known.</summary>
    public string? FilePath { get; }
}
