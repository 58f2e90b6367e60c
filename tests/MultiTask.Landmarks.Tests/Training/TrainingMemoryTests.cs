using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;
using Xunit.Abstractions;

namespace MultiTask.Landmarks.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainingMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FitAsync_ThirtyEpochs_KeepsResidentMemoryFlat()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(30);
        var trainer = new Trainer(options);
        var resident = new Dictionary<int, long>();
        trainer.Callbacks.Add(new TrainerBehaviourTests.RecordingCallback
        {
            OnEpoch = summary =>
            {
                resident[summary.Epoch] = ResidentMemory.Measure();
                return false;
            },
        });

        // 480 faces in batches of 16: 27 steps an epoch, 810 in all, each with its own dispose scope.
        TrainingResult result = await trainer.FitAsync(model, TinyTraining.Faces(480));

        output.WriteLine(string.Join(
            ", ", resident.Select(pair => $"{pair.Key}: {ResidentMemory.Megabytes(pair.Value)}")));
        long warm = resident[5];
        long peak = resident.Where(pair => pair.Key > 5).Max(pair => pair.Value);
        output.WriteLine($"epoch 10 / epoch 2 = {(double)resident[10] / resident[2]:F3}; " +
                         $"peak after epoch 5 / epoch 5 = {(double)peak / warm:F3}");
        Assert.Equal(30, result.History.Count);
        Assert.True(resident[10] <= 1.1 * resident[2],
            $"epoch 10 holds {ResidentMemory.Megabytes(resident[10])}, " +
            $"epoch 2 {ResidentMemory.Megabytes(resident[2])}");
        Assert.True(peak <= 1.05 * warm,
            $"after warm-up the resident memory rose from {ResidentMemory.Megabytes(warm)} " +
            $"to {ResidentMemory.Megabytes(peak)}");
    }
}
