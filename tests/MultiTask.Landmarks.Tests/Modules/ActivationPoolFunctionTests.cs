using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// The fused activation and pooling of a training stage must give the floats that libtorch's activation, absolute
/// value and max pooling give, forward and backward, for every activation and window it accepts, and keep libtorch's
/// rules for NaN, ties and zeros.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ActivationPoolFunctionTests
{
    [Theory]
    [InlineData(64, 16, 36, 36, 2, ActivationKind.AbsTanh)] // TCDCN's first stage at batch 64: two threads
    [InlineData(3, 20, 36, 36, 2, ActivationKind.AbsTanh)] // Sun et al.'s: 20 channels, a vector and a half
    [InlineData(4, 32, 16, 16, 2, ActivationKind.Relu)] // Compact64's second stage
    [InlineData(2, 9, 7, 9, 2, ActivationKind.Tanh)] // odd sides: the last row and column get no gradient
    [InlineData(2, 12, 10, 11, 3, ActivationKind.AbsTanh)] // 3x3 windows, 11 columns: two left over
    [InlineData(1, 3, 8, 8, 4, ActivationKind.Relu)] // fewer channels than a vector
    public void Run_MatchesLibtorchActivationAndPoolingExactly(
        int images, int channels, int height, int width, int pool, ActivationKind activation)
    {
        manual_seed(17);
        using Tensor values = randn(images, channels, height, width) * 1.5;
        using Tensor weights = randn(images, channels, height / pool, width / pool);

        (Tensor expected, Tensor expectedGradient) = Reference(values, weights, activation, pool);
        (Tensor actual, Tensor actualGradient) = Fused(values, weights, activation, pool);
        using (expected)
        using (expectedGradient)
        using (actual)
        using (actualGradient)
        {
            AssertSameFloats(expected, actual);
            AssertSameFloats(expectedGradient, actualGradient);
        }
    }

    [Fact]
    public void Run_TiesZerosAndNaN_FollowLibtorch()
    {
        // Window 0: a tie (the first wins); window 1: zeros (no gradient through |x| at 0); window 2: a NaN wins;
        // window 3: the negative input of the largest magnitude wins and its gradient flips sign.
        float[] map =
        {
            0.5f, 0.5f, 0f, 0f,
            -0.5f, 0.2f, 0f, 0f,
            1f, float.NaN, -3f, 1f,
            2f, 0.1f, 2.5f, 0f,
        };
        using Tensor values = tensor(map).reshape(1, 1, 4, 4);
        using Tensor weights = tensor(new[] { 1f, 2f, 3f, 4f }).reshape(1, 1, 2, 2);

        (Tensor expected, Tensor expectedGradient) = Reference(values, weights, ActivationKind.AbsTanh, 2);
        (Tensor actual, Tensor actualGradient) = Fused(values, weights, ActivationKind.AbsTanh, 2);
        using (expected)
        using (expectedGradient)
        using (actual)
        using (actualGradient)
        {
            AssertSameFloats(expected, actual);
            AssertSameFloats(expectedGradient, actualGradient);
            float[] gradient = actualGradient.contiguous().data<float>().ToArray();
            Assert.True(gradient[0] > 0 && gradient[1] == 0 && gradient[4] == 0, "the first of the tied inputs");
            Assert.All(new[] { 2, 3, 6, 7 }, i => Assert.Equal(0f, gradient[i]));
            Assert.True(float.IsNaN(gradient[9]));
            Assert.True(gradient[10] < 0, "the negative input's gradient");
        }
    }

    [Theory]
    [InlineData(ActivationKind.AbsTanh)]
    [InlineData(ActivationKind.Relu)]
    public void Run_DenseFeaturesWithoutPooling_MatchLibtorch(ActivationKind activation)
    {
        manual_seed(23);
        using Tensor values = randn(33, 100) * 1.5;
        using Tensor weights = randn(33, 100);
        using Tensor input = values.detach().requires_grad_(true);
        using Tensor reference = input.detach().requires_grad_(true);

        using Tensor output = ActivationPoolFunction.Run(input, activation, 1);
        (output * weights).sum().backward();
        using Tensor expected = activation == ActivationKind.Relu ? nn.functional.relu(reference)
            : reference.tanh().abs();
        (expected * weights).sum().backward();

        Assert.Equal(new long[] { 33, 100 }, output.shape);
        AssertSameFloats(expected.detach(), output.detach());
        AssertSameFloats(reference.grad!, input.grad!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Accepts_RefusesWhatTheKernelCannotRead(int pool)
    {
        using Tensor nchw = randn(2, 8, 6, 6);
        using Tensor last = TrunkStage.ChannelsLast(nchw);
        using Tensor doubles = TrunkStage.ChannelsLast(randn(2, 8, 6, 6, ScalarType.Float64));

        Assert.False(ActivationPoolFunction.Accepts(nchw, 2), "NCHW memory");
        Assert.True(ActivationPoolFunction.Accepts(last, 2));
        Assert.False(ActivationPoolFunction.Accepts(doubles, 2), "float64");
        Assert.False(ActivationPoolFunction.Accepts(last, pool), $"a window of {pool}");
        using Tensor features = randn(4, 10);
        Assert.True(ActivationPoolFunction.Accepts(features, 1), "dense features, no pooling");
        Assert.False(ActivationPoolFunction.Accepts(features, 2), "dense features cannot be pooled");
        using Tensor strided = randn(10, 4).t();
        Assert.False(ActivationPoolFunction.Accepts(strided, 1), "features not in rows");
    }

    /// <summary>libtorch's ops in the stage's training order, and the input's gradient of sum(weights * output).
    /// </summary>
    private static (Tensor Output, Tensor Gradient) Reference(
        Tensor values, Tensor weights, ActivationKind activation, int pool)
    {
        using var scope = NewDisposeScope();
        Tensor input = TrunkStage.ChannelsLast(values).detach().requires_grad_(true);
        Tensor activated = activation switch
        {
            ActivationKind.AbsTanh => input.tanh().abs(),
            ActivationKind.Relu => nn.functional.relu(input),
            _ => input.tanh(),
        };
        Tensor output = nn.functional.max_pool2d(activated, pool, pool);
        (output * weights).sum().backward();
        return (output.detach().MoveToOuterDisposeScope(), input.grad!.MoveToOuterDisposeScope());
    }

    private static (Tensor Output, Tensor Gradient) Fused(
        Tensor values, Tensor weights, ActivationKind activation, int pool)
    {
        using var scope = NewDisposeScope();
        Tensor input = TrunkStage.ChannelsLast(values).detach().requires_grad_(true);
        Assert.True(ActivationPoolFunction.Accepts(input, pool));
        Tensor output = ActivationPoolFunction.Run(input, activation, pool);
        (output * weights).sum().backward();
        return (output.detach().MoveToOuterDisposeScope(), input.grad!.MoveToOuterDisposeScope());
    }
}
