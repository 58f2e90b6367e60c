using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class CheckpointTests
{
    private static readonly IReadOnlyList<FaceSample> Faces = TinyTraining.Faces(120);

    [Fact]
    public async Task FitAsync_CheckpointEveryTwoEpochs_WritesLastEveryTwoAndBestAtEachImprovement()
    {
        string folder = TestPaths.NewTemporaryFolder();
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(5);
        options.CheckpointDirectory = folder;
        options.CheckpointEvery = 2;
        var logger = new CapturingLogger();

        TrainingResult result = await new Trainer(options, logger).FitAsync(model, Faces);

        var written = logger.WithId(1302)
            .Select(e => (Path.GetFileName((string)e.Values["Path"]!), (int)e.Values["Epoch"]!)).ToArray();
        int[] lastEpochs = written.Where(w => w.Item1 == "last.ckpt").Select(w => w.Item2).ToArray();
        int[] bestEpochs = written.Where(w => w.Item1 == "best.ckpt").Select(w => w.Item2).ToArray();
        double[] errors = result.History.Select(e => e.ValidationInterOcularError!.Value).ToArray();
        int[] improvements = Enumerable.Range(1, errors.Length)
            .Where(epoch => errors.Take(epoch - 1).All(previous => errors[epoch - 1] < previous)).ToArray();
        Assert.Equal(new[] { 2, 4, 5 }, lastEpochs);
        Assert.Equal(improvements, bestEpochs);
        Assert.Equal(Path.Combine(folder, "last.ckpt"), result.LastCheckpoint);
        Assert.Equal(new[] { "best.ckpt", "last.ckpt" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FitAsync_CancelledMidEpochThenResumed_EndsWithTheUninterruptedRunsWeightsBitwise()
    {
        TrainerOptions options = TinyTraining.Options(3);
        using ColumnNetwork straight = TinyTraining.CreateNetwork(5);
        TrainingResult expected = await new Trainer(options).FitAsync(straight, Faces);
        Dictionary<string, byte[]> expectedWeights = TinyTraining.Snapshot(straight);

        // Cancel after the fourth batch of the second epoch; the run must stop at the next batch boundary and write
        // a checkpoint holding the partial epoch.
        string folder = TestPaths.NewTemporaryFolder();
        using var cancellation = new CancellationTokenSource();
        TrainerOptions interruptedOptions = TinyTraining.Options(3);
        interruptedOptions.CheckpointDirectory = folder;
        var logger = new CapturingLogger();
        var interrupted = new Trainer(interruptedOptions, logger);
        interrupted.Callbacks.Add(new TrainerBehaviourTests.RecordingCallback
        {
            OnBatch = () =>
            {
                if (interrupted.Callbacks[0] is TrainerBehaviourTests.RecordingCallback
                    { Batches: [.., { Epoch: 2, Batch: 4 }] })
                {
                    cancellation.Cancel();
                }
            },
        });
        using ColumnNetwork first = TinyTraining.CreateNetwork(5);
        TrainingResult cancelled = await interrupted.FitAsync(first, Faces, cancellationToken: cancellation.Token);

        // The resumed run starts from a differently initialised network: everything must come from the checkpoint.
        TrainerOptions resumeOptions = TinyTraining.Options(3);
        resumeOptions.ResumeFrom = cancelled.LastCheckpoint;
        using ColumnNetwork second = TinyTraining.CreateNetwork(77);
        var resumeLogger = new CapturingLogger();
        TrainingResult resumed = await new Trainer(resumeOptions, resumeLogger).FitAsync(second, Faces);

        Assert.True(cancelled.Cancelled);
        Assert.Single(cancelled.History);
        Assert.Equal(Path.Combine(folder, "last.ckpt"), cancelled.LastCheckpoint);
        LogEntry cancel = Assert.Single(logger.WithId(1305));
        Assert.Equal(2, cancel.Values["Epoch"]);
        Assert.Equal(4, cancel.Values["Batch"]);
        Assert.Contains(logger.WithId(1302), e => (int)e.Values["Batch"]! == 4);
        LogEntry resumedAt = Assert.Single(resumeLogger.WithId(1306));
        Assert.Equal((2, 4), ((int)resumedAt.Values["Epoch"]!, (int)resumedAt.Values["Batch"]!));
        Assert.False(resumed.Cancelled);
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected.History[i].TrainingLoss, resumed.History[i].TrainingLoss, 12);
            Assert.Equal(expected.History[i].ValidationInterOcularError, resumed.History[i].ValidationInterOcularError);
        }

        TinyTraining.AssertBitwiseEqual(expectedWeights, TinyTraining.Snapshot(second));
    }

    [Fact]
    public async Task FitAsync_ResumeFromTruncatedCheckpoint_ThrowsNamingTheFile()
    {
        string folder = TestPaths.NewTemporaryFolder();
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(1);
        options.CheckpointDirectory = folder;
        TrainingResult result = await new Trainer(options).FitAsync(model, Faces);
        string path = result.LastCheckpoint!;
        byte[] bytes = await File.ReadAllBytesAsync(path);
        string truncated = Path.Combine(folder, "truncated.ckpt");
        await File.WriteAllBytesAsync(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        string flipped = Path.Combine(folder, "flipped.ckpt");
        bytes[bytes.Length / 3] ^= 0x5a;
        await File.WriteAllBytesAsync(flipped, bytes);

        var flippedError = await Assert.ThrowsAsync<InvalidDataException>(() => Resume(flipped));
        var truncatedError = await Assert.ThrowsAsync<InvalidDataException>(() => Resume(truncated));
        var missingError = await Assert.ThrowsAsync<FileNotFoundException>(
            () => Resume(Path.Combine(folder, "none.ckpt")));

        Assert.Contains(truncated, truncatedError.Message, StringComparison.Ordinal);
        Assert.Contains(flipped, flippedError.Message, StringComparison.Ordinal);
        Assert.Contains("none.ckpt", missingError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FitAsync_ResumeWithAnotherSeed_RefusesNamingBothSeeds()
    {
        string folder = TestPaths.NewTemporaryFolder();
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(1);
        options.CheckpointDirectory = folder;
        TrainingResult result = await new Trainer(options).FitAsync(model, Faces);
        TrainerOptions resume = TinyTraining.Options(2);
        resume.ResumeFrom = result.LastCheckpoint;
        resume.Seed = 7;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new Trainer(resume).FitAsync(model, Faces));

        Assert.Contains("seed 42", error.Message, StringComparison.Ordinal);
        Assert.Contains("not 7", error.Message, StringComparison.Ordinal);
    }

    private static async Task Resume(string checkpoint)
    {
        TrainerOptions options = TinyTraining.Options(2);
        options.ResumeFrom = checkpoint;
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        await new Trainer(options).FitAsync(model, Faces);
    }
}
