using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// The managed kernel that runs a one-channel convolution stage at inference must compute what libtorch's
/// convolution, absolute value and max pooling compute, for every shape it accepts, and the stage must give the same
/// result through it as through its training graph, including where it falls back to libtorch.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GreyConvolutionKernelTests
{
    [Theory]
    [InlineData(40, 40, 5, 1, 0, 2, 16, true, 1)] // TCDCN's first stage
    [InlineData(39, 39, 4, 1, 0, 2, 20, true, 2)] // Sun et al.'s: 20 channels, a vector and a half
    [InlineData(64, 64, 5, 2, 2, 2, 16, false, 1)] // Compact64's: stride 2, zero padding
    [InlineData(13, 11, 3, 1, 1, 1, 9, true, 2)] // unpooled: 11 columns, not a multiple of four; 9 channels
    [InlineData(20, 17, 3, 1, 0, 3, 8, false, 1)] // 3x3 pooling: nine positions in groups of four; 15 columns drop 0
    [InlineData(21, 21, 2, 1, 0, 4, 24, true, 1)] // 20 columns pooled by 4; three whole vectors
    public void Run_MatchesLibtorchConvolutionAbsAndPooling(
        int height, int width, int kernel, int stride, int padding, int pool, int channels, bool absolute, int images)
    {
        manual_seed(41);
        using Tensor input = randn(images, 1, height, width);
        using Tensor weight = randn(channels, 1, kernel, kernel) * 0.3;
        using Tensor bias = randn(channels) * 0.1;
        var geometry = new GreyConvolutionKernel.Geometry(
            height, width, kernel, stride, padding, pool, channels, absolute);

        using Tensor convolved = nn.functional.conv2d(
            input, weight, bias, strides: new long[] { stride, stride }, padding: new long[] { padding, padding });
        using Tensor rectified = absolute ? convolved.abs() : convolved.alias();
        using Tensor pooled = pool > 1 ? nn.functional.max_pool2d(rectified, pool, pool) : rectified.alias();
        using Tensor expected = pooled.permute(0, 2, 3, 1).contiguous();
        Assert.Equal(new long[] { images, geometry.OutputHeight, geometry.OutputWidth, channels }, expected.shape);

        float[] packed = GreyConvolutionKernel.Pack(
            weight.data<float>().ToArray(), bias.data<float>().ToArray(), geometry);
        using Tensor actual = GreyConvolutionKernel.Run(input, packed, geometry);

        double difference = MaxDifference(expected, actual);
        Assert.True(difference <= 2e-5, $"max difference {difference}");
    }

    [Fact]
    public void Pack_WithoutBias_StartsFromZero()
    {
        var geometry = new GreyConvolutionKernel.Geometry(4, 4, 2, 1, 0, 1, 3, false);
        float[] weights = Enumerable.Range(1, 12).Select(i => (float)i).ToArray();

        float[] packed = GreyConvolutionKernel.Pack(weights, default, geometry);

        int row = geometry.PaddedChannels;
        Assert.Equal(5 * row, packed.Length);
        Assert.Equal(new[] { 1f, 5f, 9f }, packed.Take(3));
        Assert.All(packed.Skip(4 * row), v => Assert.Equal(0f, v));
        Assert.All(packed.Skip(3).Take(row - 3), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(TrunkPresets.TcdcnName, 1)]
    [InlineData(TrunkPresets.SunF1Name, 2)]
    [InlineData(TrunkPresets.Compact64Name, 1)]
    [InlineData(TrunkPresets.TcdcnName, 3)] // past the kernel's batch limit: libtorch
    public void FirstStage_WithoutGradients_EqualsItsTrainingGraph(string preset, int faces)
    {
        manual_seed(42);
        using Trunk trunk = new(TrunkPresets.Get(preset));
        trunk.eval();
        TrunkStage stage = trunk.Stages[0];
        SetBatchNormStatistics(stage);
        using Tensor images = rand(faces, 1, trunk.Spec.Height, trunk.Spec.Width);

        using Tensor inference = AssertInferenceMatchesGraph(stage, images, 1e-5);

        // Channels-last, as the next convolution and pooling expect.
        long[] s = inference.shape;
        Assert.Equal(new[] { s[1] * s[2] * s[3], 1, s[3] * s[1], s[1] }, inference.stride());
    }

    [Fact]
    public void FirstStage_OnImagesThatAreNotRowContiguous_FallsBackToTheSameResult()
    {
        manual_seed(43);
        using Trunk trunk = new(TrunkPresets.Tcdcn);
        trunk.eval();
        TrunkStage stage = trunk.Stages[0];
        using Tensor wide = rand(1, 1, 40, 47);
        using Tensor images = wide.narrow(3, 3, 40);
        Assert.Equal(47, images.stride(2));

        AssertInferenceMatchesGraph(stage, images, 1e-5).Dispose();
    }

    [Fact]
    public void FirstStage_OnOneImageOfABatch_ReadsThatImage()
    {
        // A slice of a batch starts partway into its storage: the kernel must read from the slice's first pixel.
        manual_seed(46);
        using Trunk trunk = new(TrunkPresets.Tcdcn);
        trunk.eval();
        TrunkStage stage = trunk.Stages[0];
        using Tensor batch = rand(4, 1, 40, 40);
        using Tensor third = batch.narrow(0, 2, 1);

        AssertInferenceMatchesGraph(stage, third, 1e-5).Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ChannelsLast_SliceOfABatch_KeepsTheSlicesValues(int channels)
    {
        // Found by the test above: a one-channel slice took channels-last strides from offset 0 of its storage, so
        // the training graph of image 2 of a batch read image 0.
        using Tensor batch = rand(4, channels, 5, 6);
        using Tensor third = batch.narrow(0, 2, 1);

        using Tensor layout = TrunkStage.ChannelsLast(third);

        Assert.True(BitwiseEqual(third.contiguous(), layout.contiguous()));
    }

    [Fact]
    public void FirstStage_InDoublePrecision_FallsBackToTheSameResult()
    {
        manual_seed(44);
        using Trunk trunk = new(TrunkPresets.Tcdcn);
        trunk.to(ScalarType.Float64);
        trunk.eval();
        TrunkStage stage = trunk.Stages[0];
        using Tensor images = rand(new long[] { 1, 1, 40, 40 }, ScalarType.Float64);

        using Tensor inference = AssertInferenceMatchesGraph(stage, images, 1e-12);

        Assert.Equal(ScalarType.Float64, inference.dtype);
    }

    [Fact]
    public void BatchNormStage_InTrainingMode_UsesTheBatchStatisticsNotTheFoldedOnes()
    {
        // Training-mode batch normalisation normalises by the batch, which no folded filter can reproduce: the
        // stage must leave such calls to libtorch even without gradients.
        manual_seed(45);
        using Trunk trunk = new(TrunkPresets.Compact64);
        TrunkStage stage = trunk.Stages[0];
        SetBatchNormStatistics(stage);
        trunk.train();
        using Tensor images = rand(2, 1, 64, 64);

        AssertInferenceMatchesGraph(stage, images, 1e-5).Dispose();
    }

    /// <summary>Runs the stage with gradients (libtorch's graph) and without (where the kernel may run), asserts that
    /// both give the same values, and returns the second.</summary>
    private static Tensor AssertInferenceMatchesGraph(TrunkStage stage, Tensor images, double tolerance)
    {
        using Tensor graph = stage.forward(images);
        Tensor inference;
        using (no_grad())
        {
            inference = stage.forward(images);
        }

        Assert.True(graph.requires_grad);
        Assert.Equal(graph.shape, inference.shape);
        double difference = MaxDifference(graph.detach(), inference);
        Assert.True(difference <= tolerance, $"max difference {difference}");
        return inference;
    }

    /// <summary>Gives a batch-normalised stage statistics and an affine map far from the defaults, so that folding
    /// them into the filters is tested.</summary>
    private static void SetBatchNormStatistics(TrunkStage stage)
    {
        using var mode = no_grad();
        foreach ((string name, Tensor buffer) in stage.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.copy_(randn(buffer.shape) * 0.5);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.copy_(rand(buffer.shape) + 0.5);
            }
        }

        foreach ((string name, TorchSharp.Modules.Parameter parameter) in stage.named_parameters())
        {
            if (name.StartsWith("bn.", StringComparison.Ordinal))
            {
                parameter.copy_(randn(parameter.shape) * 0.5);
            }
        }
    }
}
