using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>Raw access to CPU tensors for the managed kernels.</summary>
internal static partial class TensorMemory
{
    // TorchSharp's own native library exports the data pointer (libtorch's data_ptr, storage offset included) that
    // its managed side keeps internal: one call of 10 ns, where the span of a view costs a view, a dispose and about
    // 1 us (a cross-stitch unit takes several a column, forward and backward). Should a TorchSharp release drop the
    // export, or this assembly fail to resolve the library by name, the span is used.
    private static bool exported = true;

    /// <summary>The address of a CPU tensor's first element.</summary>
    /// <param name="tensor">A contiguous tensor, or a channels-last [N, C, H, W] one.</param>
    /// <returns>The address; valid while the tensor lives.</returns>
    public static nint Address(Tensor tensor)
    {
        if (exported)
        {
            try
            {
                return DataPointer(tensor.Handle);
            }
            catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
            {
                exported = false;
            }
        }

        return SpanAddress(tensor);
    }

    /// <summary>The address from the tensor's span. A channels-last map reports itself non-contiguous; its
    /// [N, H, W, C] view is the same memory and is contiguous, so that view's span is taken.</summary>
    /// <param name="tensor">A contiguous tensor, or a channels-last [N, C, H, W] one.</param>
    /// <returns>The address; valid while the tensor lives.</returns>
    internal static unsafe nint SpanAddress(Tensor tensor)
    {
        // The span covers native memory, so taking its address needs no pinning.
        using Tensor dense = tensor.dim() == 4 ? tensor.permute(0, 2, 3, 1) : tensor.alias();
        Span<byte> bytes = dense.bytes;
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
    }

    /// <summary>An uninitialised tensor of the input's shape and strides (channels-last stays channels-last).
    /// </summary>
    /// <param name="input">The tensor to mirror.</param>
    /// <returns>The new tensor, owned by the caller.</returns>
    public static Tensor EmptyLike(Tensor input) =>
        empty_strided(input.shape, input.stride(), input.dtype, input.device);

    /// <summary>An uninitialised channels-last [N, C, H, W] tensor.</summary>
    /// <param name="shape">[N, C, H, W].</param>
    /// <param name="type">The element type.</param>
    /// <returns>The new CPU tensor, owned by the caller.</returns>
    public static Tensor EmptyChannelsLast(long[] shape, ScalarType type) =>
        empty_strided(shape, new[] { shape[1] * shape[2] * shape[3], 1, shape[3] * shape[1], shape[1] }, type);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial nint DataPointer(nint tensor);
}
