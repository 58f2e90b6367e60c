using MultiTask.Landmarks.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>Batches of random tensors in the shapes and ranges the loader makes, for the network benchmarks.</summary>
internal static class SyntheticBatch
{
    /// <summary>Creates a batch of <paramref name="size"/> faces for an input of [C, H, W].</summary>
    /// <param name="size">The number of faces.</param>
    /// <param name="inputShape">The network's input shape.</param>
    /// <param name="seed">The seed of the values.</param>
    /// <returns>The batch; the caller disposes it.</returns>
    public static FaceBatch Create(int size, long[] inputShape, int seed = 7)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        Tensor images = randn(new long[] { size, inputShape[0], inputShape[1], inputShape[2] }, generator: generator);
        Tensor landmarks = rand(new long[] { size, 5, 2 }, generator: generator);
        Tensor mask = ones(size, 5);

        // gender, smile and glasses have two classes, pose five: the same label ranges as MTFL.
        Tensor binary = randint(0, 2, new long[] { size, 3 }, generator: generator);
        Tensor pose = randint(0, 5, new long[] { size, 1 }, generator: generator);
        Tensor attributes = cat(new[] { binary, pose }, 1);
        return new FaceBatch(
            images.MoveToOuterDisposeScope(), landmarks.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope(),
            attributes.MoveToOuterDisposeScope());
    }
}
