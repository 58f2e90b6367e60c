using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Data.Synthetic;
using SixLabors.ImageSharp;

namespace MultiTask.Landmarks.Cli.Datasets;

/// <summary>Reads a dataset and gives every sample the box its policy chooses.</summary>
internal static class DatasetLoading
{
    /// <summary>Synthetic faces for evaluation start here, far from the training faces' indices.</summary>
    public const int HeldOutSyntheticStart = 1_000_000;

    public static LoadedDataset Load(DatasetRequest request, ILogger logger, int syntheticStart = 0)
    {
        if (request.Kind == DatasetKind.Synthetic)
        {
            if (request.Annotations is not null)
            {
                throw new CliException(
                    "--annotations is not used with --dataset synthetic; add --dataset mtfl, facepoint or kaggle.");
            }

            var generator = new SyntheticFaceGenerator();
            IReadOnlyList<FaceSample> faces = generator.Generate(request.Faces, syntheticStart);
            return Apply(new LoadedDataset(DatasetKind.Synthetic, "synthetic", faces, SyntheticFaceGenerator.Schema,
                BoxPolicy.Listed, true, Array.Empty<ReadProblem>()), request.Box, request.Lenient);
        }

        string annotations = request.Annotations
            ?? throw new CliException(
                $"--dataset {request.Kind.ToString().ToLowerInvariant()} needs --annotations FILE.");
        if (!File.Exists(annotations))
        {
            throw new CliException($"The annotation file '{annotations}' does not exist.");
        }

        if (request.Images is not null && !Directory.Exists(request.Images))
        {
            throw new CliException($"The image folder '{request.Images}' does not exist.");
        }

        var options = new AnnotationReadOptions { Lenient = request.Lenient, ImageRoot = request.Images };
        try
        {
            return request.Kind switch
            {
                DatasetKind.Mtfl => LoadMtfl(annotations, request, options, logger),
                DatasetKind.FacePoint => Apply(
                    FromResult(DatasetKind.FacePoint, CnnFacePointReader.Read(annotations, options, logger),
                        LandmarkSchema.Mtfl5, BoxPolicy.Listed, true),
                    request.Box, request.Lenient),
                _ => Apply(
                    FromResult(DatasetKind.Kaggle, KaggleKeypointsReader.ReadTraining(annotations, options, logger),
                        LandmarkSchema.Kaggle15, BoxPolicy.WholeImage, false),
                    request.Box, request.Lenient),
            };
        }
        catch (InvalidDataException exception)
        {
            throw new CliException($"{exception.Message} Fix the line, or pass --lenient to skip bad lines.");
        }
    }

    private static LoadedDataset LoadMtfl(
        string annotations, DatasetRequest request, AnnotationReadOptions options, ILogger logger)
    {
        ReadResult<FaceSample> samples = MtflReader.Read(annotations, options, logger);
        if (request.Boxes is null)
        {
            return Apply(FromResult(DatasetKind.Mtfl, samples, LandmarkSchema.Mtfl5, BoxPolicy.FromLandmarks, false),
                request.Box, request.Lenient);
        }

        if (!File.Exists(request.Boxes))
        {
            throw new CliException($"The box list '{request.Boxes}' does not exist.");
        }

        ReadResult<FaceSample> boxes = CnnFacePointReader.Read(request.Boxes, options, logger);
        ReadResult<FaceSample> joined = BoxJoin.AttachBoxes(samples, boxes, request.Lenient, logger);
        return Apply(FromResult(DatasetKind.Mtfl, joined, LandmarkSchema.Mtfl5, BoxPolicy.Listed, true),
            request.Box, request.Lenient);
    }

    private static LoadedDataset FromResult(
        DatasetKind kind, ReadResult<FaceSample> result, LandmarkSchema schema, BoxPolicy policy, bool listed) =>
        new(kind, result.Source, result.Records, schema, policy, listed, result.Problems);

    /// <summary>Gives each sample the box of the chosen policy, so training and evaluation crop the same way. A
    /// lenient load leaves out (and reports) a sample whose box cannot be chosen; a strict one stops at it.</summary>
    private static LoadedDataset Apply(LoadedDataset dataset, BoxPolicy? requested, bool lenient)
    {
        BoxPolicy policy = requested ?? dataset.BoxPolicy;
        if (policy == BoxPolicy.Listed && !dataset.HasListedBoxes)
        {
            throw new CliException(
                "These annotations list no face boxes: pass --boxes FILE (a CNN_FacePoint list) or --box landmarks.");
        }

        var samples = new List<FaceSample>(dataset.Samples.Count);
        var problems = new List<ReadProblem>(dataset.Problems);
        foreach (FaceSample sample in dataset.Samples)
        {
            try
            {
                samples.Add(policy switch
                {
                    BoxPolicy.Listed => sample,
                    BoxPolicy.FromLandmarks => sample.WithBox(FaceBoxes.Select(sample, policy, 1, 1)),
                    _ => sample.WithBox(WholeImage(sample)),
                });
            }
            catch (InvalidDataException exception) when (lenient)
            {
                problems.Add(new ReadProblem(sample.Origin, WithoutOrigin(exception.Message, sample.Origin)));
            }
        }

        return dataset with { Samples = samples, BoxPolicy = policy, Problems = problems };
    }

    /// <summary>Removes the "file:line: " that the library's messages start with, since a problem carries it.
    /// </summary>
    public static string WithoutOrigin(string message, SampleOrigin origin)
    {
        string prefix = origin + ": ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }

    private static FaceBox WholeImage(FaceSample sample)
    {
        switch (sample.Image)
        {
            case MemoryImageSource memory:
                return new FaceBox(0, 0, memory.Width, memory.Height);
            case FileImageSource file:
                try
                {
                    Size size = file.ReadSize();
                    return new FaceBox(0, 0, size.Width, size.Height);
                }
                catch (FileNotFoundException)
                {
                    throw new InvalidDataException($"{sample.Origin}: image file '{file.Path}' not found.");
                }

            default:
                using (var image = sample.Image.Load())
                {
                    return new FaceBox(0, 0, image.Width, image.Height);
                }
        }
    }
}
