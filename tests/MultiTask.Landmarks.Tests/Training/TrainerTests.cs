using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;
using TorchSharp;

namespace MultiTask.Landmarks.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests
{
    private static readonly IReadOnlyList<FaceSample> Faces = new SyntheticFaceGenerator().Generate(1200);

    [Fact]
    public async Task FitAsync_SyntheticFaces_LearnsLandmarksAndReportsHistory()
    {
        torch.random.manual_seed(1);
        using ColumnNetwork model = NetworkFactory.Create(new NetworkConfig { Architecture = ArchitectureKind.Shared });
        var options = new TrainerOptions
        {
            Epochs = 4, BatchSize = 32, CpuThreads = 2, Device = DeviceRequest.Cpu, LearningRate = 2e-3,
        };
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer(options);

        TrainingResult result = await trainer.FitAsync(
            model, Faces, progress: new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.Equal(4, result.History.Count);
        Assert.Equal((1080, 120), result.Faces);
        Assert.All(result.History, e => Assert.True(double.IsFinite(e.TrainingLoss)));
        Assert.True(result.History[^1].ValidationInterOcularError < result.History[0].ValidationInterOcularError,
            $"validation error went from {result.History[0].ValidationInterOcularError} " +
            $"to {result.History[^1].ValidationInterOcularError}");
        Assert.Equal(4, reports.Count(r => r.CompletedEpoch is not null));
        Assert.Equal(model.parameters().Sum(p => p.numel()), result.Parameters);
    }
}
