using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Serialization;

/// <summary>A tiny network with parameters and buffers of two dtypes (batch norm counts in int64).</summary>
internal static class SmallNetwork
{
    public static nn.Module<Tensor, Tensor> Create(long seed, int outputs = 3)
    {
        torch.manual_seed(seed);
        return nn.Sequential(
            ("conv", nn.Conv2d(1, 2, 3)),
            ("bn", nn.BatchNorm2d(2)),
            ("relu", nn.ReLU()),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(8, outputs)));
    }

    /// <summary>Runs one training-mode forward pass so the batch-norm statistics move away from their defaults.
    /// </summary>
    public static void Warm(nn.Module<Tensor, Tensor> network, long seed)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(seed);
        network.train();
        using (torch.no_grad())
        {
            network.forward(torch.randn(4, 1, 4, 4));
        }

        network.eval();
    }

    public static void AssertBitwiseEqual(nn.Module expected, nn.Module actual)
    {
        Dictionary<string, Tensor> a = expected.state_dict();
        Dictionary<string, Tensor> b = actual.state_dict();
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        foreach ((string key, Tensor tensor) in a)
        {
            Assert.Equal(tensor.dtype, b[key].dtype);
            Assert.Equal(tensor.shape, b[key].shape);
            Assert.True(tensor.bytes.SequenceEqual(b[key].bytes), $"{key} differs.");
        }
    }
}
