using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Serialization;

/// <summary>
/// The weights section of a model file: a count, then per tensor its UTF-8 name, dtype (TorchSharp's
/// <see cref="ScalarType"/> code), rank, dimensions and raw little-endian bytes in row-major order.
/// </summary>
internal static class TensorPayload
{
    public static void Write(BinaryWriter writer, IReadOnlyDictionary<string, Tensor> weights)
    {
        writer.Write(weights.Count);
        foreach ((string name, Tensor tensor) in weights.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope();
            Tensor cpu = tensor.detach().cpu().contiguous();
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            writer.Write(nameBytes.Length);
            writer.Write(nameBytes);
            writer.Write((int)cpu.dtype);
            writer.Write(cpu.shape.Length);
            foreach (long dimension in cpu.shape)
            {
                writer.Write(dimension);
            }

            ReadOnlySpan<byte> bytes = cpu.numel() == 0 ? ReadOnlySpan<byte>.Empty : cpu.bytes;
            writer.Write((long)bytes.Length);
            writer.Write(bytes);
        }
    }

    // The checksum has already passed, so a failure here means a file written by a faulty writer; every length is
    // still checked so that such a file cannot make the reader allocate or read out of bounds.
    public static Dictionary<string, Tensor> Read(ReadOnlySpan<byte> payload, string filePath)
    {
        var reader = new SpanReader(payload, filePath);
        int count = reader.ReadInt32("tensor count");
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        for (int i = 0; i < count; i++)
        {
            string name = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadInt32("name length"), "name"));
            var dtype = (ScalarType)reader.ReadInt32("dtype");
            int rank = reader.ReadInt32("rank");
            if (rank is < 0 or > 16)
            {
                throw new ModelFileException(filePath, $"tensor '{name}' has rank {rank}.");
            }

            var shape = new long[rank];
            for (int d = 0; d < rank; d++)
            {
                shape[d] = reader.ReadInt64("dimension");
            }

            long length = reader.ReadInt64("byte length");
            ReadOnlySpan<byte> data = reader.ReadBytes(length, $"data of tensor '{name}'");
            Tensor tensor = empty(shape, dtype);
            if (tensor.numel() * tensor.ElementSize != length)
            {
                throw new ModelFileException(
                    filePath, $"tensor '{name}' {dtype} [{string.Join(", ", shape)}] has {length} bytes of data.");
            }

            if (length > 0)
            {
                data.CopyTo(tensor.bytes);
            }

            if (!weights.TryAdd(name, tensor))
            {
                throw new ModelFileException(filePath, $"tensor '{name}' appears twice.");
            }
        }

        if (!reader.AtEnd)
        {
            throw new ModelFileException(filePath, "there are bytes after the last tensor.");
        }

        foreach (Tensor tensor in weights.Values)
        {
            tensor.MoveToOuterDisposeScope();
        }

        return weights;
    }

    private ref struct SpanReader
    {
        private readonly ReadOnlySpan<byte> data;
        private readonly string filePath;
        private int position;

        public SpanReader(ReadOnlySpan<byte> data, string filePath)
        {
            this.data = data;
            this.filePath = filePath;
            position = 0;
        }

        public readonly bool AtEnd => position == data.Length;

        public int ReadInt32(string what) => BitConverter.ToInt32(ReadBytes(4, what));

        public long ReadInt64(string what) => BitConverter.ToInt64(ReadBytes(8, what));

        public ReadOnlySpan<byte> ReadBytes(long count, string what)
        {
            if (count < 0 || count > data.Length - position)
            {
                throw new ModelFileException(
                    filePath, $"the weights section ends inside the {what} at byte {position} of it.");
            }

            ReadOnlySpan<byte> bytes = data.Slice(position, (int)count);
            position += (int)count;
            return bytes;
        }
    }
}
