using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// TorchSharp counts, per thread, the tensors created and disposed (<see cref="DisposeScopeManager.Statistics"/>).
/// A forward pass may leave only what it returns: once the caller disposes that, the count is back where it was.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ForwardMemoryTests
{
    public ForwardMemoryTests()
    {
        // The custom autograd functions keep the gradients an earlier test's backward pass returned until their next
        // call on this thread (see HandedGradients); counting starts without them.
        HandedGradients.Release();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Backward_EveryArchitecture_LeavesNothingOnceHandedGradientsAreReleased(string preset, int architecture)
    {
        manual_seed(53);
        using ColumnNetwork network = NetworkFactory.Create(EveryArchitecture(preset).ElementAt(architecture));
        using Tensor images = Images(network, 2, seed: 54);
        network.train();

        long before = LiveTensors();
        using (NewDisposeScope())
        {
            Dictionary<string, Tensor> outputs = network.forward(images);
            Tensor loss = outputs.Values.Select(o => o.square().sum()).Aggregate((a, b) => a + b);
            (network.RegularizationLoss() is Tensor mutual ? loss + mutual : loss).backward();
        }

        HandedGradients.Release();
        Assert.Equal(before, LiveTensors());
        using (NewDisposeScope())
        {
            Assert.All(network.parameters(), p => Assert.True(p.grad is not null, "every parameter has its gradient"));
        }
    }

    public static TheoryData<string, int> Architectures()
    {
        TheoryData<string, int> data = GradientFlowTests.ArchitecturesOf(TrunkPresets.TcdcnName);

        // Batch normalisation's stages run the same code path; one network of them is enough.
        data.Add(TrunkPresets.Compact64Name, 4);
        return data;
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Forward_EveryArchitecture_LeavesNoLiveTensorsBehind(string preset, int architecture)
    {
        manual_seed(51);
        using ColumnNetwork network = NetworkFactory.Create(EveryArchitecture(preset).ElementAt(architecture));
        using Tensor images = Images(network, 2, seed: 52);
        network.train();

        long before = LiveTensors();
        Dictionary<string, Tensor> outputs = network.forward(images);
        long returned = LiveTensors() - before;
        foreach (Tensor output in outputs.Values)
        {
            output.Dispose();
        }

        IReadOnlyList<Tensor> features = network.ColumnFeatures(images);
        long featureTensors = LiveTensors() - before;
        foreach (Tensor feature in features)
        {
            feature.Dispose();
        }

        Tensor? regularization = network.RegularizationLoss();
        regularization?.Dispose();

        Assert.Equal(network.Tasks.Count, returned);
        Assert.Equal(features.Count, featureTensors);
        Assert.Equal(before, LiveTensors());
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void InferenceOnOneFace_EveryArchitecture_LeavesOnlyItsResult(string preset, int architecture)
    {
        // One face in inference mode takes the managed first-stage kernel and the in-place activations.
        manual_seed(55);
        using ColumnNetwork network = NetworkFactory.Create(EveryArchitecture(preset).ElementAt(architecture));
        network.eval();
        using Tensor images = Images(network, 1, seed: 56);
        using var mode = inference_mode();

        long before = LiveTensors();
        Tensor joined = network.ForwardJoined(images);
        long returned = LiveTensors() - before;
        joined.Dispose();

        Assert.Equal(1, returned);
        Assert.Equal(before, LiveTensors());
    }

    [Fact]
    public void TrainingStep_CrossStitchWithMutual_LeavesNoLiveTensorsBehind()
    {
        manual_seed(53);
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            MutualRegularization = 1,
            MutualAffine = true,
        });
        using var loss = new MultiTaskLoss(network.Tasks);
        using FaceBatch batch = Batch(network, 4, seed: 54);
        using var optimizer = optim.Adam(network.parameters(), 1e-3);
        Step(network, loss, batch, optimizer);

        long before = LiveTensors();
        Step(network, loss, batch, optimizer);

        Assert.Equal(before, LiveTensors());
    }

    private static void Step(ColumnNetwork network, MultiTaskLoss loss, FaceBatch batch, optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Dictionary<string, Tensor> outputs = network.forward(batch.Images);
        using MultiTaskLossResult result = loss.Compute(outputs, batch, network.RegularizationLoss());
        result.Total.backward();
        optimizer.step();
    }

    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
}
