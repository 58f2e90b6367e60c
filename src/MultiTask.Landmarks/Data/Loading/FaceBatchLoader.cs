using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Preprocessing;
using SixLabors.ImageSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Data.Loading;

/// <summary>
/// Turns samples into batches. <see cref="Create"/> decodes every image once, in parallel, and keeps an 8-bit crop of
/// each face (with a margin that covers the augmentations) in memory; each epoch then yields shuffled, augmented
/// <see cref="FaceBatch"/> instances without touching the images again. Evaluation batches go through the same crop
/// path with no augmentation, so they equal <see cref="FaceCropper"/>'s crops.
/// </summary>
/// <remarks>The caller owns every batch it receives and must dispose it (or let an enclosing dispose scope do so)
/// when the step that used it is done.</remarks>
public sealed class FaceBatchLoader
{
    private readonly FaceCropStore store;
    private readonly FaceAugmenter? augmenter;
    private readonly int[] slots;

    private FaceBatchLoader(
        FaceBatchLoaderOptions options, LandmarkSchema schema, FaceCropStore store, FaceAugmenter? augmenter,
        int[] slots, IReadOnlyList<FaceSample> samples, IReadOnlyList<SkippedSample> skipped)
    {
        Options = options;
        Schema = schema;
        this.store = store;
        this.augmenter = augmenter;
        this.slots = slots;
        Samples = samples;
        Skipped = skipped;
    }

    /// <summary>Gets the options.</summary>
    public FaceBatchLoaderOptions Options { get; }

    /// <summary>Gets the landmark schema.</summary>
    public LandmarkSchema Schema { get; }

    /// <summary>Gets the samples kept, in the order of evaluation batches.</summary>
    public IReadOnlyList<FaceSample> Samples { get; }

    /// <summary>Gets the samples left out in lenient mode, with the reasons; empty in strict mode.</summary>
    public IReadOnlyList<SkippedSample> Skipped { get; }

    /// <summary>Gets the number of samples kept.</summary>
    public int Count => slots.Length;

    /// <summary>Gets the margin, in crop pixels on every side, kept around each face for augmentation.</summary>
    public int Margin => store.Margin;

    /// <summary>Gets the number of bytes of crops held in memory.</summary>
    public long CropBytes => store.Bytes;

    /// <summary>Decodes and crops every sample, in parallel.</summary>
    /// <param name="samples">The samples; each needs a face box and as many landmarks as the schema has.</param>
    /// <param name="schema">The landmark schema (for the flip's mirror pairs).</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives progress of the decode pass, from worker threads.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops the decode pass.</param>
    /// <returns>The loader.</returns>
    /// <exception cref="InvalidDataException">Strict mode: a sample's image is corrupt, too large or the sample has no
    /// box or the wrong number of points; the message names the file and the annotation line.</exception>
    /// <exception cref="FileNotFoundException">Strict mode: a sample's image file does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static FaceBatchLoader Create(
        IReadOnlyList<FaceSample> samples, LandmarkSchema schema, FaceBatchLoaderOptions? options = null,
        IProgress<LoadProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new FaceBatchLoaderOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        var augmenter = options.Augmentation is null ? null : new FaceAugmenter(options.Augmentation, schema);
        int margin = (augmenter ?? new FaceAugmenter(AugmentationOptions.None, schema))
            .RequiredMargin(options.Crop.Width, options.Crop.Height);
        var store = FaceCropStore.Create(samples.Count, schema.Count, options.Crop, margin);
        var failures = new Exception?[samples.Count];
        int completed = 0, failed = 0, step = Math.Max(1, samples.Count / 100);
        var stopwatch = Stopwatch.StartNew();

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.DegreeOfParallelism, CancellationToken = cancellationToken,
        };
        Parallel.For(0, samples.Count, parallel, (i, state) =>
        {
            try
            {
                store.Add(i, samples[i], options.ImageLoad);
            }
            catch (Exception error) when (IsSampleFailure(error))
            {
                failures[i] = error;
                Interlocked.Increment(ref failed);
                if (options.Strict)
                {
                    // Break still finishes lower indices, so the error reported is always the first bad sample.
                    state.Break();
                }
            }

            int done = Interlocked.Increment(ref completed);
            if (progress is not null && (done % step == 0 || done == samples.Count))
            {
                progress.Report(new LoadProgress(done, samples.Count, Volatile.Read(ref failed)));
            }
        });

        var kept = new List<int>(samples.Count);
        var skipped = new List<SkippedSample>();
        for (int i = 0; i < samples.Count; i++)
        {
            if (failures[i] is not Exception error)
            {
                kept.Add(i);
                continue;
            }

            string reason = Describe(samples[i], error);
            if (options.Strict)
            {
                throw error is FileNotFoundException missing
                    ? new FileNotFoundException(reason, missing.FileName, error)
                    : new InvalidDataException(reason, error);
            }

            skipped.Add(new SkippedSample(i, samples[i], reason, error));
            LoadingLog.SampleSkipped(logger, i, reason);
        }

        LoadingLog.DecodePassFinished(
            logger, kept.Count, samples.Count, stopwatch.ElapsedMilliseconds, skipped.Count, store.Bytes);
        return new FaceBatchLoader(
            options, schema, store, augmenter, kept.ToArray(), kept.Select(i => samples[i]).ToArray(), skipped);
    }

    /// <summary>Gets the map between image pixels and the unaugmented crop of a kept sample, to take predictions back
    /// to the image.</summary>
    /// <param name="index">The sample's index in <see cref="Samples"/>.</param>
    /// <returns>The transform.</returns>
    public CropTransform GetTransform(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return store.Transform(slots[index]);
    }

    /// <summary>Gets the number of training batches of one epoch.</summary>
    public int BatchesPerEpoch => Options.DropLast
        ? Count / Options.BatchSize
        : (Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Yields one epoch of shuffled training batches, augmented when <see cref="FaceBatchLoaderOptions.
    /// Augmentation"/> is set. The batches depend only on the seed, the epoch and the samples.</summary>
    /// <param name="epoch">The epoch number; it selects the shuffle and the augmentations.</param>
    /// <param name="device">The device of the tensors; <see langword="null"/> for the CPU.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The batches; the caller disposes each.</returns>
    public IEnumerable<FaceBatch> GetTrainingBatches(
        int epoch, Device? device = null, CancellationToken cancellationToken = default)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(SeedMixer.Mix(Options.Seed, epoch, -1)).Shuffle(order);
        int batches = BatchesPerEpoch;
        return Enumerate(order, batches, epoch, augmenter, device, cancellationToken);
    }

    /// <summary>Yields the samples in order, unaugmented, through the same crop path as training.</summary>
    /// <param name="device">The device of the tensors; <see langword="null"/> for the CPU.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The batches, covering every kept sample once in <see cref="Samples"/> order; the caller disposes each.
    /// </returns>
    public IEnumerable<FaceBatch> GetEvaluationBatches(
        Device? device = null, CancellationToken cancellationToken = default)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        int batches = (Count + Options.BatchSize - 1) / Options.BatchSize;
        return Enumerate(order, batches, 0, null, device, cancellationToken);
    }

    private IEnumerable<FaceBatch> Enumerate(
        int[] order, int batches, int epoch, FaceAugmenter? augment, Device? device, CancellationToken token)
    {
        for (int b = 0; b < batches; b++)
        {
            token.ThrowIfCancellationRequested();
            int start = b * Options.BatchSize;
            int size = Math.Min(Options.BatchSize, order.Length - start);
            yield return CreateBatch(new ArraySegment<int>(order, start, size), epoch, augment, device);
        }
    }

    private FaceBatch CreateBatch(ArraySegment<int> indices, int epoch, FaceAugmenter? augment, Device? device)
    {
        int n = indices.Count, c = store.Crop.Channels, h = store.Crop.Height, w = store.Crop.Width;
        int k = store.PointCount, a = FaceAttributes.AttributeNames.Count;

        // The faces are rendered straight into the tensors' CPU memory. Managed arrays of a batch's images (400 KB
        // for 64 TCDCN faces) land on the large object heap, and their churn set off a blocking generation-2
        // collection every 14 batches of 64, besides the copy into libtorch.
        using var scope = NewDisposeScope();
        Tensor images = empty(new long[] { n, c, h, w });
        Tensor points = zeros(new long[] { n, k, 2 });
        Tensor mask = zeros(new long[] { n, k });
        Tensor labels = zeros(new long[] { n, a }, ScalarType.Int64);

        // Each face's draw is seeded by (seed, epoch, sample), so batches do not depend on thread scheduling.
        void Render(int row, Span<float> imageData, Span<float> pointData, Span<float> maskData, Span<long> labelData)
        {
            int index = indices[row];
            AugmentationParameters draw = augment is null
                ? AugmentationParameters.Identity
                : augment.Draw(new Random(SeedMixer.Mix(Options.Seed, epoch, index)));
            store.Render(slots[index], row, draw, augment, imageData, pointData, maskData, labelData);
        }

        if (Options.BatchParallelism == 1)
        {
            Span<float> imageData = Floats(images), pointData = Floats(points), maskData = Floats(mask);
            Span<long> labelData = Longs(labels);
            for (int row = 0; row < n; row++)
            {
                Render(row, imageData, pointData, maskData, labelData);
            }
        }
        else
        {
            // Spans cannot cross into the workers' lambda; each row takes them from the tensors again.
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Options.BatchParallelism },
                row => Render(row, Floats(images), Floats(points), Floats(mask), Longs(labels)));
        }

        Device target = device ?? CPU;
        if (target.type != DeviceType.CPU)
        {
            (images, points, mask, labels) = (images.to(target), points.to(target), mask.to(target), labels.to(target));
        }

        return new FaceBatch(
            images.MoveToOuterDisposeScope(), points.MoveToOuterDisposeScope(),
            mask.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    private static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    private static Span<long> Longs(Tensor tensor) => MemoryMarshal.Cast<byte, long>(tensor.bytes);

    private static bool IsSampleFailure(Exception error) =>
        error is IOException or InvalidDataException or ImageFormatException or NotSupportedException
            or UnauthorizedAccessException or ArgumentException;

    private static string Describe(FaceSample sample, Exception error)
    {
        string message = error.Message;
        string file = sample.Image.Description;
        return message.Contains(file, StringComparison.Ordinal)
            ? $"{message} (sample {sample.Origin})"
            : $"{file} (sample {sample.Origin}): {message}";
    }
}
