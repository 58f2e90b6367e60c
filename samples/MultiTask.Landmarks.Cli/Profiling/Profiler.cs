using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace MultiTask.Landmarks.Cli.Profiling;

/// <summary>
/// Measures how fast a network trains and predicts on this machine: the library's own training step on random
/// images and labels (so augmentation and batching count, as they would in a real run), then the predictor on
/// random photos. Warm-up steps are left out of every timing.
/// </summary>
internal static class Profiler
{
    /// <summary>The side of the random photos that inference is timed on (LFW's images are 250x250).</summary>
    public const int PhotoSize = 250;

    /// <summary>The batch of the throughput measurement.</summary>
    public const int InferenceBatch = 256;

    // The random faces are reused across epochs: enough for a few batches keeps the run's own memory small, so that
    // the peak working set is the network's and libtorch's rather than the data's.
    private const int BatchesPerEpoch = 10;

    public static async Task<ProfileReport> RunAsync(
        NetworkConfig config, int batchSize, int steps, int warmup, DeviceRequest device, int? threads,
        ILogger logger, IProgress<(string Stage, double Done)>? progress, CancellationToken token)
    {
        TorchRuntimeInfo runtime = TorchRuntime.Initialize(
            new TorchRuntimeOptions { Device = device, CpuThreads = threads }, logger);
        torch.random.manual_seed(1);
        using LandmarkModel model = LandmarkModel.Create(config, LandmarkSchema.Mtfl5, 0.1f, BoxPolicy.Listed);
        var options = new TrainerOptions
        {
            Epochs = (int)Math.Ceiling((double)(steps + warmup) / BatchesPerEpoch),
            BatchSize = batchSize,
            Device = device,
            CpuThreads = threads,
            ValidationFraction = 0,
            WarmupEpochs = 0,
            Seed = 1,
        };
        var trainer = new Trainer(options, logger);
        IReadOnlyList<FaceSample> faces = RandomFaces(batchSize * BatchesPerEpoch, 64, new Random(1));
        (var training, _) = trainer.CreateLoaders(model.Network, faces, cancellationToken: token);

        // The run is stopped after the requested steps; the timestamps of the batches give the steady-state speed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var clock = new StepClock(warmup + steps, stop, progress);
        await trainer.FitAsync(model.Network, training, null, clock, stop.Token);
        token.ThrowIfCancellationRequested();
        double stepSeconds = clock.SecondsPerStepAfter(warmup);
        double renderSeconds = TimeBatchRendering(training, token);

        model.Network.eval();
        using var predictor = new LandmarkPredictor(model);
        // Hundreds of warm-up calls: .NET compiles a method's optimised code only after about 30 calls, and the crop's
        // loops run slower before.
        double latency = TimeInference(predictor, 1, warmup: 200, repeats: 300, progress, token);
        double batchSeconds = TimeInference(predictor, InferenceBatch, warmup: 1, repeats: 3, progress, token);
        double networkLatency = TimeNetwork(model.Network, 1, warmup: 50, repeats: 300, token);
        double networkBatchSeconds = TimeNetwork(model.Network, InferenceBatch, warmup: 2, repeats: 7, token);
        return new ProfileReport(
            config.Preset,
            config.Architecture.ToString(),
            config.ResolveTasks().Select(t => t.Name).ToArray(),
            runtime.Device.ToString(),
            runtime.CpuThreads,
            model.Network.parameters().Sum(p => p.numel()),
            batchSize,
            steps,
            warmup,
            batchSize / stepSeconds,
            stepSeconds * 1000,
            renderSeconds * 1000,
            PhotoSize,
            latency * 1000,
            InferenceBatch,
            InferenceBatch / batchSeconds,
            networkLatency * 1000,
            InferenceBatch / networkBatchSeconds,
            Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0));
    }

    /// <summary>Returns the median seconds the loader takes to augment and assemble one training batch, alone: the
    /// part of every timed step that is not libtorch's.</summary>
    private static double TimeBatchRendering(FaceBatchLoader loader, CancellationToken token)
    {
        var times = new List<double>();
        for (int epoch = 0; times.Count < 3 * BatchesPerEpoch; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (FaceBatch batch in loader.GetTrainingBatches(epoch, cancellationToken: token))
            {
                batch.Dispose();
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                start = Stopwatch.GetTimestamp();
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Returns the median seconds of one predictor call on <paramref name="batch"/> random photos.</summary>
    private static double TimeInference(
        LandmarkPredictor predictor, int batch, int warmup, int repeats,
        IProgress<(string Stage, double Done)>? progress, CancellationToken token)
    {
        var random = new Random(batch);
        var images = Enumerable.Range(0, batch).Select(_ => RandomImage(PhotoSize, random)).ToArray();
        try
        {
            var faces = images.Select(i => (i, (FaceBox?)new FaceBox(60, 60, 130, 130))).ToArray();
            var times = new double[repeats];
            for (int r = -warmup; r < repeats; r++)
            {
                token.ThrowIfCancellationRequested();
                long start = Stopwatch.GetTimestamp();
                predictor.PredictBatch(faces);
                if (r >= 0)
                {
                    times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
                }

                // Twenty reports in all: each one is a work item that the progress display runs on another thread,
                // which on two cores would compete with the next timed call.
                int done = r + warmup + 1, total = repeats + warmup;
                if (done % Math.Max(1, total / 20) == 0 || done == total)
                {
                    progress?.Report(($"inference, batch of {batch}", (double)done / total));
                }
            }

            Array.Sort(times);
            return times[repeats / 2];
        }
        finally
        {
            foreach (Image<Rgb24> image in images)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>Returns the median seconds of the network's forward pass alone on <paramref name="batch"/> ready
    /// crops, as the predictor runs it after cropping: inference mode, every task's outputs joined, one copy out.
    /// </summary>
    private static double TimeNetwork(
        ColumnNetwork network, int batch, int warmup, int repeats, CancellationToken token)
    {
        long[] shape = new[] { (long)batch }.Concat(network.InputShape).ToArray();
        using torch.Tensor cpuImages = torch.rand(shape);
        using torch.Tensor images = cpuImages.to(network.parameters().First().device);
        var times = new double[repeats];
        for (int r = -warmup; r < repeats; r++)
        {
            token.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            using (torch.NewDisposeScope())
            using (torch.inference_mode())
            {
                _ = network.ForwardJoined(images).cpu().data<float>().ToArray();
            }

            if (r >= 0)
            {
                times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        Array.Sort(times);
        return times[repeats / 2];
    }

    private static IReadOnlyList<FaceSample> RandomFaces(int count, int size, Random random)
    {
        var faces = new FaceSample[count];
        for (int i = 0; i < count; i++)
        {
            using Image<Rgb24> image = RandomImage(size, random);
            var points = Enumerable.Range(0, 5)
                .Select(_ => new Landmark(8 + (random.NextSingle() * 48), 8 + (random.NextSingle() * 48)))
                .ToArray();
            var attributes = new FaceAttributes(random.Next(2), random.Next(2), random.Next(2), random.Next(5));
            faces[i] = new FaceSample(new MemoryImageSource(image, $"random:{i}"), points,
                new FaceBox(0, 0, size, size), attributes);
        }

        return faces;
    }

    private static Image<Rgb24> RandomImage(int size, Random random)
    {
        byte[] pixels = new byte[size * size * 3];
        random.NextBytes(pixels);
        return Image.LoadPixelData<Rgb24>(pixels, size, size);
    }

    /// <summary>Records when each training batch ends, on the training thread, and stops the run after the last.
    /// </summary>
    private sealed class StepClock(
        int total, CancellationTokenSource stop, IProgress<(string Stage, double Done)>? progress)
        : IProgress<TrainingProgress>
    {
        private readonly List<long> stamps = new();

        public void Report(TrainingProgress value)
        {
            if (value.CompletedEpoch is not null || stamps.Count >= total)
            {
                return;
            }


            stamps.Add(Stopwatch.GetTimestamp());
            progress?.Report(("training", (double)stamps.Count / total));
            if (stamps.Count == total)
            {
                stop.Cancel();
            }
        }

        public double SecondsPerStepAfter(int warmup)
        {
            int first = Math.Max(0, warmup - 1);
            if (stamps.Count - 1 <= first)
            {
                throw new InvalidOperationException("Training ended before enough steps were timed.");
            }

            return Stopwatch.GetElapsedTime(stamps[first], stamps[^1]).TotalSeconds / (stamps.Count - 1 - first);
        }
    }
}
