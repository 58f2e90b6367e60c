using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class EarlyStoppingTests
{
    private static readonly IReadOnlyList<FaceSample> Faces = TinyTraining.Faces(120);

    [Fact]
    public async Task FitAsync_ValidationErrorStopsFalling_StopsAfterPatienceWithTheBestEpochsWeights()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(12);
        options.EarlyStoppingPatience = 2;
        var logger = new CapturingLogger();
        var trainer = new Trainer(options, logger);
        var weights = new Dictionary<int, Dictionary<string, byte[]>>();

        // From epoch 3 on, every epoch ends with all weights set to 1: the saturated network predicts points far
        // outside the crop, so no later epoch can beat the first three, and patience must end the run.
        trainer.Callbacks.Add(new TrainerBehaviourTests.RecordingCallback
        {
            OnEpoch = summary =>
            {
                weights[summary.Epoch] = TinyTraining.Snapshot(model);
                if (summary.Epoch >= 3)
                {
                    using var noGrad = no_grad();
                    foreach (TorchSharp.Modules.Parameter parameter in model.parameters())
                    {
                        parameter.fill_(1);
                    }
                }

                return false;
            },
        });

        TrainingResult result = await trainer.FitAsync(model, Faces);

        double[] errors = result.History.Select(e => e.ValidationInterOcularError!.Value).ToArray();
        int best = Array.IndexOf(errors, errors.Min()) + 1;
        Assert.True(result.StoppedEarly);
        Assert.InRange(result.History.Count, 3, 5);
        Assert.Equal(best + 2, result.History.Count);
        Assert.Equal(best, result.BestEpoch);
        Assert.InRange(best, 1, 3);
        TinyTraining.AssertBitwiseEqual(weights[best], TinyTraining.Snapshot(model));
        Assert.False(TinyTraining.BitwiseEqual(weights[result.History.Count], TinyTraining.Snapshot(model)));
        LogEntry stop = Assert.Single(logger.WithId(1303));
        Assert.Equal(result.History.Count, stop.Values["Epoch"]);
        Assert.Equal(best, stop.Values["BestEpoch"]);
        Assert.Equal(best, Assert.Single(logger.WithId(1307)).Values["Epoch"]);
    }

    [Fact]
    public async Task FitAsync_TaskWiseEarlyStopping_StopsTheOverfittingAuxiliaryTaskAndFreezesItsHead()
    {
        // Every training face is labelled "no glasses" and every validation face "glasses": the glasses head learns
        // the training prior within an epoch, so its validation loss rises far above its training loss and the TCDCN
        // criterion must stop it as soon as its window (two epochs) is full.
        var training = Faces.Take(96).Select(f => Relabel(f, glasses: 1)).ToArray();
        var validation = Faces.Skip(96).Select(f => Relabel(f, glasses: 0)).ToArray();
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(5);
        options.TaskWiseEarlyStopping = true;
        options.TaskWiseWindow = 2;
        var logger = new CapturingLogger();
        var trainer = new Trainer(options, logger);
        var weights = new Dictionary<int, Dictionary<string, byte[]>>();
        trainer.Callbacks.Add(new TrainerBehaviourTests.RecordingCallback
        {
            OnEpoch = summary =>
            {
                weights[summary.Epoch] = TinyTraining.Snapshot(model);
                return false;
            },
        });

        TrainingResult result = await trainer.FitAsync(model, training, validation);

        // Other auxiliary tasks may stop too (a two-epoch window judges on noisy validation losses of 24 faces),
        // but glasses must, at epoch 2, and the landmark task never does.
        Assert.Empty(result.History[0].StoppedTasks);
        Assert.Contains("glasses", result.History[1].StoppedTasks);
        Assert.DoesNotContain("landmarks", result.History[^1].StoppedTasks);
        Dictionary<string, int> stoppedAt = logger.WithId(1304).ToDictionary(
            e => (string)e.Values["Task"]!, e => (int)e.Values["Epoch"]!, StringComparer.Ordinal);
        Assert.Equal(2, stoppedAt["glasses"]);
        Assert.Equal(
            result.History[^1].StoppedTasks.Order(StringComparer.Ordinal),
            stoppedAt.Keys.Order(StringComparer.Ordinal));
        foreach ((string task, int epoch) in stoppedAt)
        {
            Assert.NotEmpty(Head(weights[epoch], task));
            TinyTraining.AssertBitwiseEqual(Head(weights[epoch], task), Head(weights[5], task));
        }

        Assert.False(TinyTraining.BitwiseEqual(Head(weights[2], "landmarks"), Head(weights[5], "landmarks")));
    }

    private static Dictionary<string, byte[]> Head(Dictionary<string, byte[]> weights, string task) =>
        weights
            .Where(pair => pair.Key.Split('.').Contains(task, StringComparer.Ordinal))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private static FaceSample Relabel(FaceSample face, int glasses) =>
        new(face.Image, face.Landmarks, face.Box, face.Attributes with { Glasses = glasses }, face.Origin);
}
