using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

[Collection(TorchCollection.Name)]
public sealed class CrossStitchUnitTests
{
    [Theory]
    [InlineData(2, 0.9, 0.1)]
    [InlineData(3, 0.9, 0.05)]
    [InlineData(5, 0.6, 0.1)]
    public void Constructor_OwnWeight_SpreadsTheRestEvenlySoRowsSumToOne(int columns, double own, double other)
    {
        using var unit = new CrossStitchUnit("conv1", columns, 4, CrossStitchMode.PerChannel, own);

        double[][] matrix = unit.FromToMatrix();

        Assert.Equal(new long[] { columns, columns, 4 }, unit.Weight.shape);
        Assert.Equal(columns, matrix.Length);
        for (int from = 0; from < columns; from++)
        {
            Assert.Equal(columns, matrix[from].Length);
            for (int to = 0; to < columns; to++)
            {
                Assert.Equal(from == to ? own : other, matrix[from][to], 6);
            }
        }

        using Tensor rows = unit.Weight.sum(1);
        Assert.True(MaxDifference(rows, ones_like(rows)) <= 1e-6);
    }

    [Fact]
    public void Mix_PerChannel_AppliesEachChannelsOwnMatrix()
    {
        manual_seed(21);
        using var unit = new CrossStitchUnit("conv2", 3, 4, CrossStitchMode.PerChannel, 0.9);
        using (no_grad())
        {
            unit.Weight.copy_(rand(3, 3, 4));
        }

        Tensor[] inputs = Enumerable.Range(0, 3).Select(_ => randn(2, 4, 3, 3)).ToArray();

        IReadOnlyList<Tensor> mixed = unit.Mix(inputs);

        using var noGrad = no_grad();
        for (int to = 0; to < 3; to++)
        {
            for (int channel = 0; channel < 4; channel++)
            {
                using var scope = NewDisposeScope();
                Tensor expected = zeros(2, 3, 3);
                for (int from = 0; from < 3; from++)
                {
                    expected += unit.Weight[to, from, channel] * inputs[from][.., channel];
                }

                Assert.True(MaxDifference(expected, mixed[to][.., channel]) <= 1e-5, $"to {to}, channel {channel}");
            }
        }

        DisposeAll(inputs);
        DisposeAll(mixed);
    }

    [Fact]
    public void Mix_PerStageOnDenseFeatures_AppliesOneMatrixToAllFeatures()
    {
        manual_seed(22);
        using var unit = new CrossStitchUnit("fc", 2, 6, CrossStitchMode.PerStage, 0.9);
        using (no_grad())
        {
            unit.Weight.copy_(tensor(new float[] { 0.7f, 0.3f, -0.2f, 1.1f }).reshape(2, 2));
        }

        Tensor[] inputs = { randn(5, 6), randn(5, 6) };

        IReadOnlyList<Tensor> mixed = unit.Mix(inputs);

        Assert.Equal(new long[] { 2, 2 }, unit.Weight.shape);
        using Tensor first = (0.7f * inputs[0]) + (0.3f * inputs[1]);
        using Tensor second = (-0.2f * inputs[0]) + (1.1f * inputs[1]);
        Assert.True(MaxDifference(first, mixed[0]) <= 1e-6);
        Assert.True(MaxDifference(second, mixed[1]) <= 1e-6);
        DisposeAll(inputs);
        DisposeAll(mixed);
    }

    [Fact]
    public void Mix_PerChannelOnDenseFeatures_TreatsEachFeatureAsAChannel()
    {
        manual_seed(23);
        using var unit = new CrossStitchUnit("fc", 2, 3, CrossStitchMode.PerChannel, 0.9);
        using (no_grad())
        {
            unit.Weight.copy_(rand(2, 2, 3));
        }

        Tensor[] inputs = { randn(4, 3), randn(4, 3) };

        IReadOnlyList<Tensor> mixed = unit.Mix(inputs);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor expected = (unit.Weight[1, 0] * inputs[0]) + (unit.Weight[1, 1] * inputs[1]);
        Assert.Equal(new long[] { 4, 3 }, mixed[1].shape);
        Assert.True(MaxDifference(expected, mixed[1]) <= 1e-6);
        DisposeAll(inputs);
        DisposeAll(mixed);
    }

    [Fact]
    public void Mix_WrongNumberOfColumns_ThrowsArgumentException()
    {
        using var unit = new CrossStitchUnit("conv1", 3, 2, CrossStitchMode.PerStage, 0.9);
        using Tensor input = zeros(1, 2, 2, 2);

        var error = Assert.Throws<ArgumentException>(() => unit.Mix(new[] { input, input }));

        Assert.Contains("Expected 3 column inputs, got 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mix_ChannelsLastColumns_KeepsTheirLayout()
    {
        // The next convolution would otherwise copy every mixed column back into channels-last memory.
        manual_seed(24);
        using var unit = new CrossStitchUnit("conv1", 2, 3, CrossStitchMode.PerChannel, 0.8);
        long[] shape = { 2, 3, 4, 5 };
        long[] channelsLast = { 60, 1, 15, 3 };
        Tensor[] inputs = { randn(shape), randn(shape) };
        Tensor[] strided = inputs.Select(t => empty_strided(shape, channelsLast).copy_(t)).ToArray();

        IReadOnlyList<Tensor> mixed = unit.Mix(strided);
        IReadOnlyList<Tensor> reference = unit.Mix(inputs);

        for (int c = 0; c < 2; c++)
        {
            // Channels-last maps go through the fused kernel, NCHW ones through libtorch's multiply-adds: the same
            // sums, rounded in a different order.
            Assert.Equal(channelsLast, mixed[c].stride());
            Assert.True(MaxDifference(mixed[c], reference[c]) <= 1e-6);
        }

        DisposeAll(inputs);
        DisposeAll(strided);
        DisposeAll(mixed);
        DisposeAll(reference);
    }

    [Fact]
    public void Mix_ColumnsOfDifferentShapes_ThrowsNamingBoth()
    {
        using var unit = new CrossStitchUnit("conv1", 2, 2, CrossStitchMode.PerStage, 0.9);
        using Tensor full = zeros(1, 2, 3, 3);
        using Tensor pooled = zeros(1, 2, 1, 1);

        var error = Assert.Throws<ArgumentException>(() => unit.Mix(new[] { full, pooled }));

        Assert.Contains("[1, 2, 1, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 2, 3, 3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mix_PerChannelWithOtherChannels_ThrowsArgumentException()
    {
        using var unit = new CrossStitchUnit("conv1", 2, 4, CrossStitchMode.PerChannel, 0.9);
        using Tensor input = zeros(1, 3, 2, 2);

        var error = Assert.Throws<ArgumentException>(() => unit.Mix(new[] { input, input }));

        Assert.Contains("[N, 4, ...]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0.9)]
    [InlineData(2, 1.5)]
    [InlineData(2, -0.1)]
    [InlineData(2, double.NaN)]
    public void Constructor_BadArguments_Throws(int columns, double own)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new CrossStitchUnit("conv1", columns, 2, CrossStitchMode.PerChannel, own));
    }

    [Fact]
    public void MixingWeights_DefaultNetwork_ReportsEveryStageFromToWithInitialValues()
    {
        using var network = (CrossStitchNetwork)NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            TaskGroups = new[] { new[] { "landmarks" }, new[] { "gender", "smile" }, new[] { "glasses", "pose" } },
        });

        IReadOnlyList<CrossStitchWeights> weights = network.MixingWeights();

        Assert.Equal(new[] { "conv1", "conv2", "conv3", "conv4", "fc" }, weights.Select(w => w.Stage));
        Assert.All(weights, w =>
        {
            Assert.Equal(new[] { "landmarks", "gender_smile", "glasses_pose" }, w.Columns);
            Assert.Equal(3, w.Weights.Length);
            for (int from = 0; from < 3; from++)
            {
                Assert.Equal(3, w.Weights[from].Length);
                for (int to = 0; to < 3; to++)
                {
                    Assert.Equal(from == to ? 0.9 : 0.05, w.Weights[from][to], 6);
                }
            }
        });
    }

    [Fact]
    public void MixingWeights_SetWeights_ReadsFromToAveragedOverChannels()
    {
        using var network = (CrossStitchNetwork)NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            Tasks = TwoTasks,
            CrossStitchStages = new[] { "conv4" },
        });
        CrossStitchUnit unit = Assert.Single(network.modules().OfType<CrossStitchUnit>());

        // weight[to, from, channel]: column 1 (smile) takes 0.25 of column 0 (landmarks) on average, with channels
        // alternating 0.0 and 0.5; column 0 takes 0.3 of column 1 on every channel.
        using (no_grad())
        {
            unit.Weight[0, 0] = tensor(0.7f);
            unit.Weight[0, 1] = tensor(0.3f);
            unit.Weight[1, 0] = arange(64).remainder(2).to(ScalarType.Float32) * 0.5f;
            unit.Weight[1, 1] = tensor(0.75f);
        }

        CrossStitchWeights weights = Assert.Single(network.MixingWeights());

        Assert.Equal("conv4", weights.Stage);
        Assert.Equal(0.7, weights.Weights[0][0], 6);
        Assert.Equal(0.3, weights.Weights[1][0], 6);
        Assert.Equal(0.25, weights.Weights[0][1], 6);
        Assert.Equal(0.75, weights.Weights[1][1], 6);
    }
}
