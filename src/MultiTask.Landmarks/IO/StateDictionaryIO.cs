using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.IO;

/// <summary>Writes and reads a name-to-tensor map with TorchSharp's tensor format (CPU copies).</summary>
internal static class StateDictionaryIO
{
    public static void Write(IReadOnlyDictionary<string, Tensor> tensors, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(tensors.Count);
        foreach ((string name, Tensor tensor) in tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            using Tensor cpu = tensor.detach().cpu();
            cpu.Save(writer);
        }
    }

    /// <summary>Reads the map; the caller owns the returned tensors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        int count = reader.ReadInt32();
        if (count < 0 || count > 1_000_000)
        {
            throw new InvalidDataException($"A state dictionary claims {count} tensors.");
        }

        var tensors = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            tensors[name] = Tensor.Load(reader);
        }

        return tensors;
    }
}
