using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using TorchSharp.Modules;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// A parameter that is not registered is neither trained, nor saved, nor moved to the device; one that is registered
/// but not on the loss's path is trained by nothing. Both show up here.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GradientFlowTests
{
    /// <summary>Sun F1 is built like TCDCN (no batch norm, |tanh|); Compact64 adds batch norm and ReLU.</summary>
    public static TheoryData<string, int> Architectures() =>
        ArchitecturesOf(TrunkPresets.TcdcnName, TrunkPresets.Compact64Name);

    /// <summary>Batch normalisation adds buffers (float and int64) that a dtype change must treat apart.</summary>
    public static TheoryData<string, int> Compact64Architectures() => ArchitecturesOf(TrunkPresets.Compact64Name);

    public static TheoryData<string, int> ArchitecturesOf(params IReadOnlyList<string> presets)
    {
        var data = new TheoryData<string, int>();
        foreach (string preset in presets)
        {
            for (int i = 0; i < EveryArchitecture(preset).Count(); i++)
            {
                data.Add(preset, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Backward_MultiTaskLoss_GivesEveryParameterANonZeroGradient(string preset, int architecture)
    {
        NetworkConfig config = EveryArchitecture(preset).ElementAt(architecture);
        manual_seed(31);
        using ColumnNetwork network = NetworkFactory.Create(config);
        using var loss = new MultiTaskLoss(network.Tasks);
        using FaceBatch batch = Batch(network, 3, seed: 32);
        network.train();

        using (NewDisposeScope())
        {
            Dictionary<string, Tensor> outputs = network.forward(batch.Images);
            Tensor? regularization = network.RegularizationLoss();
            using MultiTaskLossResult result = loss.Compute(outputs, batch, regularization);
            result.Total.backward();
        }

        var named = network.named_parameters().ToList();
        Assert.NotEmpty(named);
        Assert.All(named, pair =>
        {
            Tensor? grad = pair.parameter.grad;
            Assert.True(grad is not null, $"{pair.name} has no gradient ({config.Architecture}).");
            using Tensor norm = grad!.abs().sum();
            Assert.True(norm.item<float>() > 0, $"{pair.name} has a zero gradient ({config.Architecture}).");
        });
        bool affine = config.MutualRegularization > 0 && config.MutualAffine;
        Assert.Equal(affine, named.Any(p => p.name.StartsWith("mutual.", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Compact64Architectures))]
    public void ToFloat64_EveryArchitecture_MovesEveryTensorTheForwardPassUses(string preset, int architecture)
    {
        NetworkConfig config = EveryArchitecture(preset).ElementAt(architecture);
        manual_seed(33);
        using ColumnNetwork network = NetworkFactory.Create(config);
        network.to(ScalarType.Float64);
        using Tensor images = Images(network, 2, seed: 34, ScalarType.Float64);
        network.eval();

        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> outputs = network.forward(images);
        Tensor? regularization = network.RegularizationLoss();

        // A tensor held outside the registered modules would stay float32 and make the forward pass throw.
        Assert.All(outputs.Values, o => Assert.Equal(ScalarType.Float64, o.dtype));
        Assert.Equal(network.Tasks.Select(t => t.Name), outputs.Keys);
        Assert.All(network.BoostedParameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(network.state_dict(), pair => Assert.Equal(
            pair.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? ScalarType.Int64 : ScalarType.Float64,
            pair.Value.dtype));
        Assert.Equal(config.MutualRegularization > 0, regularization is not null);
        if (regularization is not null)
        {
            Assert.Equal(ScalarType.Float64, regularization.dtype);
        }
    }

    [Fact]
    public void BoostedParameters_CrossStitch_AreExactlyTheRegisteredStitchWeights()
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            CrossStitchStages = new[] { "conv1", "conv3", "fc" },
        });

        Parameter[] boosted = network.BoostedParameters().ToArray();
        Parameter[] stitches = network.named_parameters()
            .Where(p => p.name.StartsWith("stitches.", StringComparison.Ordinal))
            .Select(p => p.parameter)
            .ToArray();

        Assert.Equal(3, boosted.Length);
        Assert.Equal(3, stitches.Length);
        Assert.All(boosted, b => Assert.Contains(stitches, s => ReferenceEquals(s, b)));
    }

    [Theory]
    [InlineData(ArchitectureKind.Shared)]
    [InlineData(ArchitectureKind.Split)]
    public void BoostedParameters_WithoutStitches_AreEmpty(ArchitectureKind architecture)
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig { Architecture = architecture });

        Assert.Empty(network.BoostedParameters());
    }
}
