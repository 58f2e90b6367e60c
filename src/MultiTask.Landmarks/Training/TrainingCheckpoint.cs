using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using MultiTask.Landmarks.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Training;

/// <summary>
/// A checkpoint: the model's weights, the optimizer's state, the loss weighting's parameters, the best weights so far,
/// and the trainer's state, in one zip archive written atomically. A manifest holds each entry's SHA-256, because the
/// zip reader does not check CRCs, and a flipped byte in a stored block would otherwise load as silently wrong weights.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string StateEntry = "trainer.json";
    private const string ModelEntry = "model.bin";
    private const string OptimizerEntry = "optimizer.bin";
    private const string WeightingEntry = "weighting.bin";
    private const string BestEntry = "best-model.bin";
    private const string ManifestEntry = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static void Save(
        string path,
        TrainingState state,
        nn.Module model,
        optim.Optimizer optimizer,
        nn.Module? weighting,
        IReadOnlyDictionary<string, Tensor>? bestWeights)
    {
        AtomicFile.Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var manifest = new Dictionary<string, string>(StringComparer.Ordinal);
            WriteEntry(archive, manifest, StateEntry, s => JsonSerializer.Serialize(s, state, JsonOptions));
            WriteEntry(archive, manifest, ModelEntry, s => SaveModule(model, s));
            WriteEntry(archive, manifest, OptimizerEntry, s =>
            {
                using var writer = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
                ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
            });
            if (weighting is not null)
            {
                WriteEntry(archive, manifest, WeightingEntry, s => SaveModule(weighting, s));
            }

            if (bestWeights is not null)
            {
                WriteEntry(archive, manifest, BestEntry, s => StateDictionaryIO.Write(bestWeights, s));
            }

            WriteEntry(archive, null, ManifestEntry, s => JsonSerializer.Serialize(s, manifest, JsonOptions));
        });
    }

    /// <summary>Reads the trainer state, and loads weights and optimizer state into the given objects.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, is corrupt, or does not fit the model;
    /// the message names the file.</exception>
    public static (TrainingState State, Dictionary<string, Tensor>? BestWeights) Load(
        string path,
        nn.Module model,
        optim.Optimizer optimizer,
        nn.Module? weighting)
    {
        try
        {
            using ZipArchive archive = ZipFile.OpenRead(path);
            Dictionary<string, string>? manifest = archive.GetEntry(ManifestEntry) is null
                ? null
                : ReadEntry(archive, path, null, ManifestEntry,
                    s => JsonSerializer.Deserialize<Dictionary<string, string>>(s));
            TrainingState state = ReadEntry(
                    archive, path, manifest, StateEntry, s => JsonSerializer.Deserialize<TrainingState>(s, JsonOptions))
                ?? throw new InvalidDataException($"Checkpoint '{path}' has an empty trainer state.");
            if (state.FormatVersion != 1)
            {
                throw new InvalidDataException(
                    $"Checkpoint '{path}' has format version {state.FormatVersion}; this library reads version 1.");
            }

            ReadEntry(archive, path, manifest, ModelEntry, s => LoadModule(model, s));
            ReadEntry(archive, path, manifest, OptimizerEntry, s =>
            {
                using var reader = new BinaryReader(s, System.Text.Encoding.UTF8, leaveOpen: true);
                ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
                return true;
            });
            if (weighting is not null && archive.GetEntry(WeightingEntry) is not null)
            {
                ReadEntry(archive, path, manifest, WeightingEntry, s => LoadModule(weighting, s));
            }

            Dictionary<string, Tensor>? best = archive.GetEntry(BestEntry) is null
                ? null
                : ReadEntry(archive, path, manifest, BestEntry, StateDictionaryIO.Read);
            return (state, best);
        }
        catch (Exception exception) when (exception is InvalidDataException or JsonException or IOException
                                          or ArgumentException or InvalidOperationException or EndOfStreamException
                                          or System.Runtime.InteropServices.ExternalException)
        {
            if (exception is InvalidDataException && exception.Message.Contains(path, StringComparison.Ordinal))
            {
                throw;
            }

            throw new InvalidDataException(
                $"Checkpoint '{path}' is corrupt, truncated or does not fit this model: {exception.Message}",
                exception);
        }
    }

    private static bool SaveModule(nn.Module module, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        module.save(writer);
        return true;
    }

    private static bool LoadModule(nn.Module module, Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        module.load(reader, strict: true);
        return true;
    }

    private static void WriteEntry(
        ZipArchive archive, Dictionary<string, string>? manifest, string name, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        buffer.Position = 0;
        if (manifest is not null)
        {
            manifest[name] = Convert.ToHexString(SHA256.HashData(buffer));
            buffer.Position = 0;
        }

        ZipArchiveEntry entry = archive.CreateEntry(name, CompressionLevel.Fastest);
        using Stream stream = entry.Open();
        buffer.CopyTo(stream);
    }

    private static T ReadEntry<T>(
        ZipArchive archive, string path, Dictionary<string, string>? manifest, string name, Func<Stream, T> read)
    {
        ZipArchiveEntry entry = archive.GetEntry(name)
            ?? throw new InvalidDataException($"Checkpoint '{path}' lacks its '{name}' entry.");
        using var buffer = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(buffer);
        }

        // Checkpoints written before the manifest existed load unchecked.
        if (manifest is not null)
        {
            if (!manifest.TryGetValue(name, out string? expected))
            {
                throw new InvalidDataException($"Checkpoint '{path}' has no checksum for its '{name}' entry.");
            }

            string actual = Convert.ToHexString(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException(
                    $"Checkpoint '{path}' is corrupt: the SHA-256 of its '{name}' entry does not match its manifest.");
            }
        }

        buffer.Position = 0;
        return read(buffer);
    }
}
