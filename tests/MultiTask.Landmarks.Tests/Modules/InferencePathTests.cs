using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// Without autograd a stage pools before its activation and overwrites its buffers; with autograd it builds the
/// plain graph. Both must compute the same function, for every activation the presets use.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class InferencePathTests
{
    [Theory]
    [InlineData(TrunkPresets.TcdcnName, 1)]
    [InlineData(TrunkPresets.TcdcnName, 16)]
    [InlineData(TrunkPresets.SunF1Name, 3)]
    [InlineData(TrunkPresets.Compact64Name, 3)]
    public void Forward_WithoutGradients_MatchesTheTrainingGraph(string preset, int faces)
    {
        manual_seed(31);
        foreach (NetworkConfig config in EveryArchitecture(preset))
        {
            using ColumnNetwork network = NetworkFactory.Create(config);
            network.eval();
            using Tensor images = Images(network, faces, seed: 7);

            Dictionary<string, Tensor> graph = network.forward(images);
            Dictionary<string, Tensor> inference;
            using (inference_mode())
            {
                inference = network.forward(images);
            }

            foreach ((string task, Tensor expected) in graph)
            {
                Assert.True(expected.requires_grad, $"{config.Architecture} {task}: the graph was not built.");
                Assert.True(MaxDifference(expected.detach(), inference[task]) <= 1e-6,
                    $"{preset} {config.Architecture} {task}: {MaxDifference(expected.detach(), inference[task])}");
            }

            DisposeAll(graph);
            DisposeAll(inference);
        }
    }

    [Fact]
    public void ForwardJoined_EveryArchitectureAndInterleavedGroups_EqualsTheTaskOutputsSideBySide()
    {
        manual_seed(32);
        var interleaved = new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            TaskGroups = [["landmarks", "smile"], ["gender", "glasses", "pose"]],
        };
        foreach (NetworkConfig config in EveryArchitecture(TrunkPresets.TcdcnName).Append(interleaved))
        {
            using ColumnNetwork network = NetworkFactory.Create(config);
            network.eval();
            using Tensor images = Images(network, 4, seed: 8);
            using var mode = inference_mode();

            Dictionary<string, Tensor> outputs = network.forward(images);
            using Tensor joined = network.ForwardJoined(images);

            using Tensor expected = cat(network.Tasks.Select(t => outputs[t.Name]).ToArray(), 1);
            Assert.Equal(expected.shape, joined.shape);
            double difference = MaxDifference(expected, joined);
            Assert.True(difference <= 1e-6, $"{config.Architecture}: {difference}");
            DisposeAll(outputs);
        }
    }
}
