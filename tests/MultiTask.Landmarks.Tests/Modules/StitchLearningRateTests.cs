using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// The stitch weights' boosted learning rate must reach the optimizer. Adam's first step moves every weight by
/// the learning rate times g / (|g| + eps), so the largest change of a group's weights is its learning rate: one
/// step tells the groups' rates apart without any knowledge of the gradients.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class StitchLearningRateTests
{
    [Fact]
    public async Task FitAsync_OneAdamStep_MovesStitchWeightsByTheMultipliedRate()
    {
        // Not the default multiplier (10), so that a trainer ignoring the configuration fails.
        const double multiplier = 100;
        IReadOnlyList<FaceSample> faces = new SyntheticFaceGenerator().Generate(16);
        manual_seed(61);
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            Tasks = TwoTasks,
            CrossStitchLearningRateMultiplier = multiplier,
        });
        Dictionary<string, Tensor> before = Snapshot(network);
        const double rate = 1e-4;
        var trainer = new Trainer(new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 16,
            LearningRate = rate,
            Schedule = LearningRateScheduleKind.Constant,
            WarmupEpochs = 0,
            GradientClipNorm = null,
            ValidationFraction = 0,
            Augmentation = null,
            CpuThreads = 2,
            Device = DeviceRequest.Cpu,
            RestoreBestWeights = false,
        });

        await trainer.FitAsync(network, faces);

        Dictionary<string, double> moved = LargestChange(network, before);
        Assert.All(moved.Where(p => p.Key.StartsWith("stitches.", StringComparison.Ordinal)), p =>
            Assert.Equal(rate * multiplier, p.Value, rate * multiplier * 1e-3));
        Assert.All(moved.Where(p => p.Key.StartsWith("columns.", StringComparison.Ordinal)), p =>
            Assert.Equal(rate, p.Value, rate * 1e-3));
        Assert.Equal(5, moved.Keys.Count(k => k.StartsWith("stitches.", StringComparison.Ordinal)));
        foreach (Tensor tensor in before.Values)
        {
            tensor.Dispose();
        }
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module network)
    {
        using var noGrad = no_grad();
        return network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    private static Dictionary<string, double> LargestChange(nn.Module network, Dictionary<string, Tensor> before)
    {
        using var noGrad = no_grad();
        return network.named_parameters().ToDictionary(p => p.name, p => MaxDifference(p.parameter, before[p.name]));
    }
}
