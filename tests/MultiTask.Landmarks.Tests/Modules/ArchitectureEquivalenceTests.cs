using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tasks;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// The architectures are one family: split at 0 is independent networks, split at the last stage is hard sharing,
/// a cross-stitch network with identity mixing is independent columns. With the same weights copied in, the
/// outputs must agree (bitwise, since the same kernels run on the same numbers).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ArchitectureEquivalenceTests
{
    [Fact]
    public void SplitAtZero_SameWeightsAsIndependentNetworks_GivesBitwiseEqualOutputs()
    {
        manual_seed(11);
        using ColumnNetwork split = NetworkFactory.Create(
            new NetworkConfig { Architecture = ArchitectureKind.Split, SplitStage = 0 });
        using Tensor images = Images(split, 3, seed: 5);
        split.eval();

        Dictionary<string, Tensor> outputs = split.forward(images);

        Assert.DoesNotContain(split.state_dict().Keys, k => k.StartsWith("trunk.", StringComparison.Ordinal));
        foreach (TaskSpec task in TaskSpec.Mtfl)
        {
            using ColumnNetwork alone = NetworkFactory.Create(
                new NetworkConfig { Architecture = ArchitectureKind.Shared, Tasks = new[] { task } });
            HashSet<string> written = CopyInto(split, alone, ($"columns.{task.Name}.", "trunk."));
            alone.eval();

            using Tensor expected = alone.forward(images)[task.Name];

            Assert.Equal(alone.state_dict().Keys.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
            Assert.True(BitwiseEqual(expected, outputs[task.Name]), $"Task {task.Name} differs.");
        }

        DisposeAll(outputs);
    }

    [Theory]
    [InlineData(TrunkPresets.TcdcnName)]
    [InlineData(TrunkPresets.Compact64Name)]
    public void SplitAtLastStage_SameWeightsAsHardSharing_HasSameStructureAndOutputs(string preset)
    {
        manual_seed(12);
        using ColumnNetwork shared = NetworkFactory.Create(new NetworkConfig { Preset = preset });
        using ColumnNetwork split = NetworkFactory.Create(new NetworkConfig
        {
            Preset = preset,
            Architecture = ArchitectureKind.Split,
            SplitStage = shared.TrunkSpec.Stages.Count,
        });
        using Tensor images = Images(shared, 4, seed: 6);
        shared.eval();
        split.eval();

        HashSet<string> written = CopyInto(shared, split);
        Dictionary<string, Tensor> expected = shared.forward(images);
        Dictionary<string, Tensor> actual = split.forward(images);

        Dictionary<string, Tensor> sharedState = shared.state_dict();
        Dictionary<string, Tensor> splitState = split.state_dict();
        Assert.Equal(sharedState.Keys.Order(StringComparer.Ordinal), splitState.Keys.Order(StringComparer.Ordinal));
        Assert.All(sharedState, pair => Assert.Equal(pair.Value.shape, splitState[pair.Key].shape));
        Assert.Equal(sharedState.Count, written.Count);
        Assert.Empty(split.ColumnNames);
        Assert.All(expected, pair => Assert.True(BitwiseEqual(pair.Value, actual[pair.Key]), $"{pair.Key} differs."));
        DisposeAll(expected);
        DisposeAll(actual);
    }

    [Theory]
    [InlineData(CrossStitchMode.PerChannel)]
    [InlineData(CrossStitchMode.PerStage)]
    public void CrossStitch_IdentityMixing_EqualsIndependentColumnsExactly(CrossStitchMode mode)
    {
        manual_seed(13);
        using ColumnNetwork stitched = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            CrossStitchMode = mode,
            CrossStitchOwnWeight = 1,
        });
        using ColumnNetwork independent = NetworkFactory.Create(
            new NetworkConfig { Architecture = ArchitectureKind.Split, SplitStage = 0 });
        using Tensor images = Images(stitched, 3, seed: 7);

        HashSet<string> written = CopyInto(stitched, independent);
        Dictionary<string, Tensor> expected = independent.forward(images);
        Dictionary<string, Tensor> actual = stitched.forward(images);

        Assert.Equal(independent.state_dict().Count, written.Count);
        Assert.All(expected, pair => Assert.True(BitwiseEqual(pair.Value, actual[pair.Key]), $"{pair.Key} differs."));
        DisposeAll(expected);
        DisposeAll(actual);
    }

    /// <summary>
    /// Uniform mixing (every weight 1/T) replaces each column's activations by the columns' mean, so right after a
    /// unit all columns carry the same activations, whatever their own weights. With a unit after the last stage
    /// (the default), every head therefore reads the same features; the columns' weights still differ.
    /// </summary>
    [Theory]
    [InlineData(CrossStitchMode.PerChannel)]
    [InlineData(CrossStitchMode.PerStage)]
    public void CrossStitch_UniformMixingAfterLastStage_GivesEveryColumnTheSameFeatures(CrossStitchMode mode)
    {
        manual_seed(14);
        using ColumnNetwork stitched = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            CrossStitchMode = mode,
            CrossStitchOwnWeight = 1.0 / 5,
        });
        using ColumnNetwork independent = NetworkFactory.Create(
            new NetworkConfig { Architecture = ArchitectureKind.Split, SplitStage = 0 });
        using Tensor images = Images(stitched, 3, seed: 8);
        CopyInto(stitched, independent);

        IReadOnlyList<Tensor> features = stitched.ColumnFeatures(images);
        IReadOnlyList<Tensor> unmixed = independent.ColumnFeatures(images);

        Assert.Equal(5, features.Count);
        for (int c = 1; c < features.Count; c++)
        {
            Assert.True(MaxDifference(features[0], features[c]) <= 1e-6, $"Column {c} differs from column 0.");
            Assert.True(MaxDifference(unmixed[0], unmixed[c]) > 1e-3, $"Columns 0 and {c} start out equal.");
        }

        DisposeAll(features);
        DisposeAll(unmixed);
    }

    /// <summary>
    /// The limit of the claim above: uniform mixing after an inner stage only equalises the columns there; the
    /// stages after it, with different weights, make them differ again.
    /// </summary>
    [Fact]
    public void CrossStitch_UniformMixingAfterInnerStageOnly_LeavesDifferentColumnsDifferent()
    {
        manual_seed(15);
        using ColumnNetwork stitched = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            Tasks = TwoTasks,
            CrossStitchStages = new[] { "conv2" },
            CrossStitchOwnWeight = 0.5,
        });
        using Tensor images = Images(stitched, 3, seed: 9);

        IReadOnlyList<Tensor> features = stitched.ColumnFeatures(images);

        Assert.True(MaxDifference(features[0], features[1]) > 1e-3);
        DisposeAll(features);
    }

    /// <summary>
    /// With equal column weights every column computes the same activations, and a mixing whose rows sum to 1 (the
    /// default 0.9 / 0.1 included) maps equal columns onto themselves: the network is the hard-shared network.
    /// </summary>
    [Theory]
    [InlineData(CrossStitchMode.PerChannel, 0.9)]
    [InlineData(CrossStitchMode.PerStage, 0.2)]
    public void CrossStitch_EqualColumnWeights_EqualsHardSharingWithThoseWeights(CrossStitchMode mode, double own)
    {
        manual_seed(16);
        using ColumnNetwork shared = NetworkFactory.Create(new NetworkConfig());
        using ColumnNetwork stitched = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            CrossStitchMode = mode,
            CrossStitchOwnWeight = own,
        });
        (string, string)[] renames = TaskSpec.Mtfl.Select(t => ("trunk.", $"columns.{t.Name}.")).ToArray();
        foreach ((string from, string to) in renames)
        {
            CopyInto(shared, stitched, (from, to));
        }

        using Tensor images = Images(shared, 3, seed: 10);

        Dictionary<string, Tensor> expected = shared.forward(images);
        Dictionary<string, Tensor> actual = stitched.forward(images);
        IReadOnlyList<Tensor> features = stitched.ColumnFeatures(images);

        Assert.All(expected, pair => Assert.True(
            MaxDifference(pair.Value, actual[pair.Key]) <= 1e-5, $"{pair.Key} differs."));
        Assert.All(features, f => Assert.True(MaxDifference(features[0], f) <= 1e-6));
        DisposeAll(expected);
        DisposeAll(actual);
        DisposeAll(features);
    }
}
