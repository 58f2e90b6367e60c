using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;
using TorchSharp;

namespace MultiTask.Landmarks.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerBehaviourTests
{
    private static readonly IReadOnlyList<FaceSample> Faces = TinyTraining.Faces(120);
    private static readonly string[] TaskNames = { "gender", "glasses", "landmarks", "pose", "smile" };

    [Fact]
    public void CreateLoaders_ValidationFraction_HoldsOutTheSameSeededSplitEveryTime()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(1);
        options.ValidationFraction = 0.25;
        var trainer = new Trainer(options);

        (FaceBatchLoader first, FaceBatchLoader? firstValidation) = trainer.CreateLoaders(model, Faces);
        (_, FaceBatchLoader? second) = trainer.CreateLoaders(model, Faces);
        options.Seed = 43;
        (_, FaceBatchLoader? otherSeed) = trainer.CreateLoaders(model, Faces);

        Assert.Equal(90, first.Count);
        Assert.Equal(30, firstValidation!.Count);
        Assert.Equal(firstValidation.Samples, second!.Samples);
        Assert.NotEqual(firstValidation.Samples, otherSeed!.Samples);
        Assert.Empty(first.Samples.Intersect(firstValidation.Samples));
        Assert.Equal(
            ValidationSplit.Split(Faces, 0.25, 42).Validation, firstValidation.Samples);
    }

    [Fact]
    public async Task FitAsync_TwoEpochs_ReportsEveryBatchAndEpochAndFillsTheHistory()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(2);
        options.ValidationFraction = 0.25;
        var reports = new List<TrainingProgress>();
        var callback = new RecordingCallback();
        var trainer = new Trainer(options);
        trainer.Callbacks.Add(callback);

        TrainingResult result = await trainer.FitAsync(
            model, Faces, progress: new SynchronousProgress<TrainingProgress>(reports.Add));

        // 90 training faces in batches of 16: five full batches and one of ten.
        Assert.Equal((90, 30), result.Faces);
        Assert.Equal(12, reports.Count(r => r.CompletedEpoch is null));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6 },
            reports.Where(r => r.CompletedEpoch is null).Select(r => r.Batch));
        Assert.All(reports, r => Assert.Equal(6, r.BatchesPerEpoch));
        Assert.Equal(new[] { 1, 2 }, reports.Where(r => r.CompletedEpoch is not null).Select(r => r.Epoch));
        Assert.Equal(12, callback.Batches.Count);
        Assert.Equal(new[] { 1, 2 }, callback.Epochs.Select(e => e.Epoch));
        Assert.False(result.Cancelled);
        Assert.False(result.StoppedEarly);
        Assert.Equal(2, result.History.Count);
        foreach (EpochSummary epoch in result.History)
        {
            Assert.Equal(TaskNames, epoch.TrainingLosses.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(TaskNames, epoch.ValidationLosses.Keys.Order(StringComparer.Ordinal));
            Assert.All(epoch.TrainingLosses.Values, v => Assert.True(double.IsFinite(v) && v > 0, $"loss {v}"));
            Assert.InRange(epoch.ValidationInterOcularError!.Value, 1e-6, 10);
            Assert.InRange(epoch.ValidationCropWidthError!.Value, 1e-6, 10);
            Assert.Equal(new[] { "gender", "glasses", "pose", "smile" },
                epoch.ValidationAccuracies.Keys.Order(StringComparer.Ordinal));
            Assert.All(epoch.ValidationAccuracies.Values, a => Assert.InRange(a, 0, 1));
            Assert.True(epoch.Duration > TimeSpan.Zero);
            Assert.True(epoch.TrainingFacesPerSecond > 0);
        }

        Assert.True(result.TrainingFacesPerSecond > 0);
        Assert.True(result.Duration >= result.History[0].Duration + result.History[1].Duration);
    }

    [Fact]
    public async Task FitAsync_StepsPerCollection_CollectsGenerationZeroThatOften()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(2);
        options.StepsPerCollection = 2;
        var trainer = new Trainer(options);
        int before = GC.CollectionCount(0);

        TrainingResult result = await trainer.FitAsync(model, Faces);

        int steps = 2 * ((result.Faces.Training + 15) / 16);
        int collections = GC.CollectionCount(0) - before;
        Assert.True(collections >= steps / 2, $"{collections} collections in {steps} steps");
    }

    [Fact]
    public async Task FitAsync_EpochCallbackAsksToStop_EndsTheRunAfterThatEpoch()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        var trainer = new Trainer(TinyTraining.Options(4));
        trainer.Callbacks.Add(new RecordingCallback { OnEpoch = summary => summary.Epoch == 2 });

        TrainingResult result = await trainer.FitAsync(model, Faces);

        Assert.Equal(2, result.History.Count);
        Assert.True(result.StoppedEarly);
        Assert.False(result.Cancelled);
    }

    [Fact]
    public async Task FitAsync_ModelAlreadyInTraining_RefusesTheSecondFitWithAClearMessage()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = new RecordingCallback
        {
            OnBatch = () =>
            {
                started.Set();
                release.Wait(TimeSpan.FromMinutes(1));
            },
        };
        var first = new Trainer(TinyTraining.Options(1));
        first.Callbacks.Add(blocker);
        var second = new Trainer(TinyTraining.Options(1));
        (FaceBatchLoader loader, _) = second.CreateLoaders(model, Faces);

        Task<TrainingResult> running = first.FitAsync(model, loader);
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "the first fit never reached its first batch");
        var refused = Assert.Throws<InvalidOperationException>(() => { _ = second.FitAsync(model, loader); });
        var refusedSamples = await Assert.ThrowsAsync<InvalidOperationException>(() => second.FitAsync(model, Faces));
        blocker.OnBatch = null;
        release.Set();
        await running;
        TrainingResult after = await second.FitAsync(model, loader);

        Assert.Contains("already being trained", refused.Message, StringComparison.Ordinal);
        Assert.Contains("already being trained", refusedSamples.Message, StringComparison.Ordinal);
        Assert.Single(after.History);
    }

    [Fact]
    public async Task FitAsync_TensorBoardDirectory_WritesAnEventFileWithTheScalars()
    {
        string folder = TestPaths.NewTemporaryFolder();
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        TrainerOptions options = TinyTraining.Options(2);
        options.TensorBoardDirectory = folder;

        await new Trainer(options).FitAsync(model, Faces);

        string[] files = Directory.GetFiles(folder, "events.out.tfevents*", SearchOption.AllDirectories);
        string file = Assert.Single(files);
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(file));
        Assert.Contains("loss/train", text, StringComparison.Ordinal);
        Assert.Contains("train/landmarks", text, StringComparison.Ordinal);
        Assert.Contains("validation/nme_inter_ocular", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FitAsync_CapturingLogger_LogsTheRunStartAndEachEpochWithStableEventIds()
    {
        using ColumnNetwork model = TinyTraining.CreateNetwork(1);
        var logger = new CapturingLogger();

        TrainingResult result = await new Trainer(TinyTraining.Options(2), logger).FitAsync(model, Faces);

        LogEntry start = Assert.Single(logger.WithId(1300));
        Assert.Equal("RunStarted", start.EventId.Name);
        Assert.Equal("cpu", start.Values["Device"]?.ToString(), ignoreCase: true);
        Assert.Equal(1, start.Values["Threads"]);
        Assert.Equal(result.Parameters, start.Values["Parameters"]);
        Assert.Equal(108, start.Values["TrainingFaces"]);
        Assert.Equal(12, start.Values["ValidationFaces"]);
        Assert.Equal(new object?[] { 1, 2 }, logger.WithId(1301).Select(e => e.Values["Epoch"]));
        Assert.All(logger.WithId(1301), e => Assert.Equal("EpochCompleted", e.EventId.Name));
        Assert.Equal(model.parameters().Sum(p => p.numel()), result.Parameters);
    }

    /// <summary>Records the callbacks it receives, and runs an optional action at each batch end.</summary>
    internal sealed class RecordingCallback : ITrainingCallback
    {
        public List<TrainingProgress> Batches { get; } = new();

        public List<EpochSummary> Epochs { get; } = new();

        public Action? OnBatch { get; set; }

        public Func<EpochSummary, bool>? OnEpoch { get; set; }

        public void OnBatchEnd(TrainingProgress progress)
        {
            Batches.Add(progress);
            OnBatch?.Invoke();
        }

        public bool OnEpochEnd(EpochSummary summary)
        {
            Epochs.Add(summary);
            return OnEpoch?.Invoke(summary) ?? false;
        }
    }
}
