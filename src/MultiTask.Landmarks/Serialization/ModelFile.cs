using MultiTask.Landmarks.IO;
using System.Buffers.Binary;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Serialization;

/// <summary>
/// Reads and writes the library's model file: one file holding a JSON header (<see cref="ModelFileHeader"/>) and the
/// weights, guarded by a SHA-256 checksum. Layout, little-endian: 8 magic bytes, format version (int32), reserved
/// (int32, 0), total file length (int64), header length (int64), the header's UTF-8 JSON, the weights, and the SHA-256
/// of everything before it (32 bytes).
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes, and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    // PNG's trick: a high byte catches 7-bit transfers, CR LF catches newline conversion, 0x1A stops a DOS type.
    private static readonly byte[] Magic = { 0x89, (byte)'M', (byte)'T', (byte)'L', (byte)'M', 0x0D, 0x0A, 0x1A };
    private const int PrefixLength = 32;
    private const int ChecksumLength = 32;

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes a model file atomically: a crash part-way leaves any previous file at
    /// <paramref name="path"/> untouched.</summary>
    /// <param name="path">The destination; its folder is created when absent.</param>
    /// <param name="header">The header; <see cref="ModelFileHeader.LibraryVersion"/> and
    /// <see cref="ModelFileHeader.CreatedUtc"/> are filled in when <see langword="null"/>.</param>
    /// <param name="weights">The weights by state-dict key, on any device; they are not modified.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The header has no network configuration or no task.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(
        string path,
        ModelFileHeader header,
        IReadOnlyDictionary<string, Tensor> weights,
        ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(weights);
        if (header.Network.ValueKind == JsonValueKind.Undefined || header.Tasks is null || header.Tasks.Count == 0)
        {
            throw new ArgumentException(
                "The header needs a network configuration and at least one task.", nameof(header));
        }

        ModelFileHeader stamped = header with
        {
            FormatVersion = CurrentFormatVersion,
            LibraryVersion = header.LibraryVersion ?? LibraryVersion,
            CreatedUtc = header.CreatedUtc ?? DateTimeOffset.UtcNow,
        };
        byte[] headerBytes = JsonSerializer.SerializeToUtf8Bytes(stamped, JsonOptions);

        using var payload = new MemoryStream();
        using (var payloadWriter = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            TensorPayload.Write(payloadWriter, weights);
        }

        long total = PrefixLength + headerBytes.Length + payload.Length + ChecksumLength;
        AtomicFile.Write(path, stream =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> prefix = stackalloc byte[PrefixLength];
            Magic.CopyTo(prefix);
            BinaryPrimitives.WriteInt32LittleEndian(prefix[8..], CurrentFormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(prefix[12..], 0);
            BinaryPrimitives.WriteInt64LittleEndian(prefix[16..], total);
            BinaryPrimitives.WriteInt64LittleEndian(prefix[24..], headerBytes.Length);
            foreach (ReadOnlySpan<byte> part in new[] { prefix.ToArray(), headerBytes, payload.ToArray() })
            {
                sha.AppendData(part);
                stream.Write(part);
            }

            stream.Write(sha.GetHashAndReset());
        });
        SerializationLog.ModelFileWritten(logger ?? NullLogger.Instance, path, weights.Count, total);
    }

    /// <summary>Writes a model file with a module's state dict (parameters and buffers).</summary>
    /// <param name="path">The destination.</param>
    /// <param name="header">The header.</param>
    /// <param name="module">The module; it is not modified.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The header has no network configuration or no task.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ModelFileHeader header, nn.Module module, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Write(path, header, module.state_dict(), logger);
    }

    /// <summary>Reads a model file after checking its magic bytes, version, length and checksum.</summary>
    /// <param name="path">The file.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <returns>The header and the weights as CPU tensors, which the caller owns (dispose the result).</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is not a model file, was written by a newer format version, is
    /// truncated or corrupt, or its header is not valid.</exception>
    public static ModelFileContents Read(string path, ILogger? logger = null)
    {
        (ModelFileHeader header, byte[] bytes, int payloadStart) = ReadVerified(path);
        ReadOnlySpan<byte> payload = bytes.AsSpan(payloadStart, bytes.Length - payloadStart - ChecksumLength);
        Dictionary<string, Tensor> weights = TensorPayload.Read(payload, path);
        SerializationLog.ModelFileRead(logger ?? NullLogger.Instance, path, weights.Count, header.FormatVersion);
        return new ModelFileContents(path, header, weights);
    }

    /// <summary>Reads only the header of a model file, after the same checks as <see cref="Read"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is not a valid model file.</exception>
    public static ModelFileHeader ReadHeader(string path) => ReadVerified(path).Header;

    /// <summary>Reads a model file and copies its weights into a module whose state dict matches exactly.</summary>
    /// <param name="path">The file.</param>
    /// <param name="module">The module; it keeps its device.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is not a valid model file, or its weights do not fit the module
    /// (the message lists the missing, unexpected and mismatched keys).</exception>
    public static ModelFileHeader LoadInto(string path, nn.Module module, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        using ModelFileContents contents = Read(path, logger);
        contents.LoadInto(module);
        return contents.Header;
    }

    private static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static (ModelFileHeader Header, byte[] Bytes, int PayloadStart) ReadVerified(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ModelFileException(path, "not a MultiTask.Landmarks model file (its first bytes are not the " +
                "model file signature).");
        }

        if (bytes.Length < PrefixLength + ChecksumLength)
        {
            throw new ModelFileException(path, $"truncated: only {bytes.Length} bytes.");
        }

        // The version comes before every other check so that a newer file says so instead of looking corrupt.
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version > CurrentFormatVersion || version < 1)
        {
            throw new ModelFileException(path, $"format version {version}; this library reads versions 1 to " +
                $"{CurrentFormatVersion}. Load it with the library version that wrote it, or a newer one.");
        }

        long total = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        if (total != bytes.Length)
        {
            string what = bytes.Length < total ? "truncated" : "longer than written";
            throw new ModelFileException(path, $"{what}: {bytes.Length} bytes, but it was written with {total}.");
        }

        byte[] checksum = SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumLength));
        if (!checksum.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumLength)))
        {
            throw new ModelFileException(path, "corrupt: the SHA-256 checksum does not match the content.");
        }

        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24));
        if (headerLength < 0 || headerLength > bytes.Length - PrefixLength - ChecksumLength)
        {
            throw new ModelFileException(path, $"the header length {headerLength} runs past the end of the file.");
        }

        ModelFileHeader header;
        try
        {
            header = JsonSerializer.Deserialize<ModelFileHeader>(
                bytes.AsSpan(PrefixLength, (int)headerLength), JsonOptions)
                ?? throw new JsonException("The header is null.");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"the header is not valid: {e.Message}", e);
        }

        return (header with { FormatVersion = version }, bytes, PrefixLength + (int)headerLength);
    }
}
