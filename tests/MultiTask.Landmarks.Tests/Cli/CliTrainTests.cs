using System.Text.Json;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Cli;

/// <summary>train, synth, predict and evaluate on the built-in faces with tiny budgets, checking the JSON contract.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CliTrainTests
{
    private static readonly string[] Budget =
    {
        "--faces", "120", "--epochs", "1", "--batch-size", "32", "--threads", "2",
    };

    [Fact]
    public async Task TrainSynthPredictEvaluate_SyntheticFaces_WriteTheContractFields()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string run = Path.Combine(folder, "run");

        int trained = await CliRun.RunAsync(new[] { "train", "--out", run }.Concat(Budget).ToArray());
        int drawn = await CliRun.RunAsync(
            "synth", "--out", Path.Combine(folder, "face.png"), "--seed", "3", "--size", "128");
        int predicted = await CliRun.RunAsync("predict", "--model", run, "--image", Path.Combine(folder, "face.png"),
            "--box", Path.Combine(folder, "face.json"), "--json", Path.Combine(folder, "prediction.json"), "--out",
            Path.Combine(folder, "overlay.png"));
        int evaluated = await CliRun.RunAsync("evaluate", "--model", Path.Combine(run, "model.mtl"), "--faces", "40",
            "--json", Path.Combine(folder, "evaluation.json"));

        Assert.Equal(new[] { 0, 0, 0, 0 }, new[] { trained, drawn, predicted, evaluated });
        JsonElement metrics = CliRun.ReadJson(Path.Combine(run, "metrics.json"));
        Assert.Equal(79_357, metrics.GetProperty("parameters").GetInt64());
        Assert.True(metrics.GetProperty("trainSamplesPerSecond").GetDouble() > 0);
        JsonElement epoch = Assert.Single(metrics.GetProperty("epochs").EnumerateArray());
        Assert.True(double.IsFinite(epoch.GetProperty("trainingLoss").GetDouble()));
        Assert.True(File.Exists(Path.Combine(run, "curves.png")));

        JsonElement truth = CliRun.ReadJson(Path.Combine(folder, "face.json"));
        JsonElement prediction = CliRun.ReadJson(Path.Combine(folder, "prediction.json"));
        Assert.Equal(truth.GetProperty("box").GetProperty("width").GetDouble(),
            prediction.GetProperty("box").GetProperty("width").GetDouble(), 3);
        Assert.Equal(5, prediction.GetProperty("landmarks").GetArrayLength());
        Assert.Equal("left_eye", prediction.GetProperty("landmarks")[0].GetProperty("name").GetString());
        double[] pose = prediction.GetProperty("attributes").GetProperty("pose").GetProperty("probabilities")
            .EnumerateArray().Select(p => p.GetDouble()).ToArray();
        Assert.Equal(5, pose.Length);
        Assert.Equal(1.0, pose.Sum(), 4);
        Assert.True(File.Exists(Path.Combine(folder, "overlay.png")));

        JsonElement evaluation = CliRun.ReadJson(Path.Combine(folder, "evaluation.json"));
        Assert.Equal(40, evaluation.GetProperty("faces").GetInt32());
        Assert.True(evaluation.GetProperty("nmeInterOcular").GetDouble() > 0);
        Assert.True(evaluation.GetProperty("nmeBoxWidth").GetDouble() > 0);
        Assert.InRange(evaluation.GetProperty("failureRate").GetDouble(), 0, 1);
        Assert.Equal(5, evaluation.GetProperty("perPoint").GetArrayLength());
        Assert.InRange(evaluation.GetProperty("auc").GetDouble(), 0, 1);
        Assert.InRange(evaluation.GetProperty("attributes").GetProperty("smile").GetProperty("accuracy").GetDouble(),
            0, 1);
        Assert.True(File.Exists(Path.Combine(folder, "evaluation.ced.png")));
    }

    [Fact]
    public async Task Train_Cancelled_WritesCheckpointAndReturns130()
    {
        string run = Path.Combine(TestPaths.NewTemporaryFolder(), "run");
        string checkpoint = Path.Combine(run, "checkpoints", "last.ckpt");
        using var stop = new CancellationTokenSource();

        // Ctrl-C arrives once the first epoch has written its checkpoint, well before the last of 50 epochs.
        Task<int> training = CliRun.RunAsync(stop.Token, "train", "--out", run, "--faces", "100", "--epochs", "50",
            "--batch-size", "32", "--threads", "2");
        while (!File.Exists(checkpoint) && !training.IsCompleted)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        int code = await training;

        Assert.Equal(130, code);
        Assert.True(File.Exists(checkpoint));
        Assert.False(File.Exists(Path.Combine(run, "model.mtl")));
        JsonElement metrics = CliRun.ReadJson(Path.Combine(run, "metrics.json"));
        Assert.True(metrics.GetProperty("cancelled").GetBoolean());
        Assert.InRange(metrics.GetProperty("epochs").GetArrayLength(), 1, 49);
    }
}
