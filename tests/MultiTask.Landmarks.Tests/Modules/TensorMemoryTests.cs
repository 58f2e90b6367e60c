using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// The kernels' tensor addresses: the pointer TorchSharp's native library exports is the first element's, storage
/// offset included, for every layout the kernels are handed (the slower span-based address is the reference).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TensorMemoryTests
{
    [Fact]
    public void Address_EveryLayoutTheKernelsRead_IsTheFirstElement()
    {
        using Tensor dense = randn(6, 10);
        using Tensor map = TensorMemory.EmptyChannelsLast([6, 4, 3, 5], ScalarType.Float32);
        using Tensor lastImages = map.narrow(0, 2, 4);
        using Tensor laterRows = dense.narrow(0, 3, 3);
        using Tensor codes = TensorMemory.EmptyChannelsLast([2, 4, 3, 5], ScalarType.Int32);

        foreach (Tensor tensor in new[] { dense, map, lastImages, laterRows, codes })
        {
            Assert.Equal(TensorMemory.SpanAddress(tensor), TensorMemory.Address(tensor));
        }

        Assert.Equal(TensorMemory.Address(map) + (2 * 4 * 3 * 5 * sizeof(float)), TensorMemory.Address(lastImages));
        Assert.Equal(TensorMemory.Address(dense) + (3 * 10 * sizeof(float)), TensorMemory.Address(laterRows));
    }
}
