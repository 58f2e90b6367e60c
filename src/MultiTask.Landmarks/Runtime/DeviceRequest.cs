using System.Globalization;

namespace MultiTask.Landmarks.Runtime;

/// <summary>A request for a compute device: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
/// <param name="Kind">The kind of device.</param>
/// <param name="Index">The CUDA device index; ignored for <see cref="ComputeDeviceKind.Cpu"/>.</param>
public readonly record struct DeviceRequest(ComputeDeviceKind Kind, int Index = 0)
{
    /// <summary>Gets a request for CUDA when available, otherwise the CPU.</summary>
    public static DeviceRequest Auto => new(ComputeDeviceKind.Auto);

    /// <summary>Gets a request for the CPU.</summary>
    public static DeviceRequest Cpu => new(ComputeDeviceKind.Cpu);

    /// <summary>Creates a request for the CUDA device with the given index.</summary>
    /// <param name="index">The zero-based CUDA device index.</param>
    /// <returns>The request.</returns>
    public static DeviceRequest Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(ComputeDeviceKind.Cuda, index);
    }

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The request.</returns>
    /// <exception cref="FormatException">The text is none of the accepted forms.</exception>
    public static DeviceRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim().ToLowerInvariant();
        if (value == "auto")
        {
            return Auto;
        }

        if (value == "cpu")
        {
            return Cpu;
        }

        if (value == "cuda")
        {
            return Cuda();
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return Cuda(index);
        }

        throw new FormatException($"'{text}' is not a device; use auto, cpu, cuda or cuda:N.");
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ComputeDeviceKind.Auto => "auto",
        ComputeDeviceKind.Cpu => "cpu",
        _ => string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}"),
    };
}
