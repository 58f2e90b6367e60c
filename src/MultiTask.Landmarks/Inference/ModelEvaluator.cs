using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Evaluation;
using MultiTask.Landmarks.Tasks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Inference;

/// <summary>
/// Evaluates a predictor on annotated faces in the original images' pixels: each face is cropped at the box the
/// model's box policy gives it (its listed box, a box derived from its landmarks, or the whole image) through the
/// predictor's own crop path, and compared with its annotation.
/// </summary>
public static class ModelEvaluator
{
    private const int ChunkSize = 256;

    /// <summary>Evaluates <paramref name="predictor"/> on <paramref name="samples"/>.</summary>
    /// <param name="predictor">The predictor.</param>
    /// <param name="samples">The faces; a face's box, when present, is both cropped and used to normalise
    /// errors.</param>
    /// <param name="options">Metric options; <see langword="null"/> for the schema's defaults.</param>
    /// <param name="progress">Receives the number of faces evaluated so far.</param>
    /// <param name="degreeOfParallelism">The number of threads that decode images; 0 for one per processor.</param>
    /// <param name="normaliseByBox">Whether the faces' boxes are real face boxes to normalise errors by (the
    /// box-width metrics are null otherwise, e.g. for boxes derived from the very landmarks being evaluated).</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="InvalidDataException">An image cannot be decoded; the message names it.</exception>
    public static EvaluationResult Evaluate(
        LandmarkPredictor predictor,
        IReadOnlyList<FaceSample> samples,
        LandmarkEvaluationOptions? options = null,
        IProgress<int>? progress = null,
        int degreeOfParallelism = 0,
        bool normaliseByBox = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(samples);
        LandmarkSchema schema = predictor.Model.Schema;
        TaskSpec[] attributes = predictor.Model.Network.Tasks.Where(t => t.Kind == TaskKind.Classification).ToArray();
        var accumulator = new EvaluationAccumulator(
            schema, options ?? LandmarkEvaluationOptions.ForSchema(schema), attributes);
        int threads = degreeOfParallelism > 0 ? degreeOfParallelism : Environment.ProcessorCount;
        for (int start = 0; start < samples.Count; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(ChunkSize, samples.Count - start);
            var images = new Image<Rgb24>[count];
            try
            {
                try
                {
                    Parallel.For(
                        0,
                        count,
                        new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
                        i => images[i] = samples[start + i].Image.Load());
                }
                catch (AggregateException exception) when (exception.InnerExceptions.Count > 0)
                {
                    // Surface the image's own error (it names the file), not the parallel loop's wrapper.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(
                        exception.InnerExceptions[0]).Throw();
                    throw;
                }

                var faces = new (Image<Rgb24>, FaceBox?)[count];
                for (int i = 0; i < count; i++)
                {
                    faces[i] = (images[i], CropBox(samples[start + i], predictor.Model.BoxPolicy, images[i]));
                }

                IReadOnlyList<FacePrediction> predictions = predictor.PredictBatch(faces);
                for (int i = 0; i < count; i++)
                {
                    FaceSample sample = samples[start + i];
                    accumulator.AddFace(predictions[i].Landmarks, sample.Landmarks, normaliseByBox ? sample.Box : null);
                    foreach (TaskSpec task in attributes)
                    {
                        int truth = sample.Attributes.Get(task.Name);
                        if (truth != FaceAttributes.Unknown)
                        {
                            accumulator.AddAttribute(task.Name, predictions[i].MostLikely(task.Name), truth);
                        }
                    }
                }
            }
            finally
            {
                foreach (Image<Rgb24>? image in images)
                {
                    image?.Dispose();
                }
            }

            progress?.Report(start + count);
        }

        return accumulator.GetResult();
    }

    /// <summary>The box training would have cropped for this face: the model's policy, applied to the sample.</summary>
    private static FaceBox CropBox(FaceSample sample, BoxPolicy policy, Image<Rgb24> image) =>
        policy == BoxPolicy.Listed && sample.Box is { } listed
            ? listed
            : FaceBoxes.Select(sample, policy, image.Width, image.Height);
}
