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
                throw new CliException("--annotations is not used with --dataset synthetic; add --dataset mtfl, facepoint or kaggle.");
            }

            var generator = new SyntheticFaceGenerator();
            IReadOnlyList<FaceSample> faces = generator.Generate(request.Faces, syntheticStart);
            return Apply(new LoadedDataset(DatasetKind.Synthetic, "synthetic", faces, SyntheticFaceGenerator.Schema,
                BoxPolicy.Listed, true, Array.Empty<ReadProblem>()), request.Box);
        }

        string annotations = request.Annotations
            ?? throw new CliException($"--dataset {request.Kind.ToString().ToLowerInvariant()} needs --annotations FILE.");
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
                DatasetKind.FacePoint => Apply(FromResult(DatasetKind.FacePoint, CnnFacePointReader.Read(annotations, options, logger),
                    LandmarkSchema.Mtfl5, BoxPolicy.Listed, true), request.Box),
                _ => Apply(FromResult(DatasetKind.Kaggle, KaggleKeypointsReader.ReadTraining(annotations, options, logger),
                    LandmarkSchema.Kaggle15, BoxPolicy.WholeImage, false), request.Box),
            };
        }
        catch (InvalidDataException exception)
        {
            throw new CliException($"{exception.Message} Fix the line, or pass --lenient to skip bad lines.");
        }
    }

    private static LoadedDataset LoadMtfl(string annotations, DatasetRequest request, AnnotationReadOptions options, ILogger logger)
    {
        ReadResult<FaceSample> samples = MtflReader.Read(annotations, options, logger);
        if (request.Boxes is null)
        {
            return Apply(FromResult(DatasetKind.Mtfl, samples, LandmarkSchema.Mtfl5, BoxPolicy.FromLandmarks, false), request.Box);
        }

        if (!File.Exists(request.Boxes))
        {
            throw new CliException($"The box list '{request.Boxes}' does not exist.");
        }

        ReadResult<FaceSample> boxes = CnnFacePointReader.Read(request.Boxes, options, logger);
        ReadResult<FaceSample> joined = BoxJoin.AttachBoxes(samples, boxes, request.Lenient, logger);
        return Apply(FromResult(DatasetKind.Mtfl, joined, LandmarkSchema.Mtfl5, BoxPolicy.Listed, true), request.Box);
    }

    private static LoadedDataset FromResult(
        DatasetKind kind, ReadResult<FaceSample> result, LandmarkSchema schema, BoxPolicy policy, bool listed) =>
        new(kind, result.Source, result.Records, schema, policy, listed, result.Problems);

    /// <summary>Gives each sample the box of the chosen policy, so training and evaluation crop the same way.</summary>
    private static LoadedDataset Apply(LoadedDataset dataset, BoxPolicy? requested)
    {
        BoxPolicy policy = requested ?? dataset.BoxPolicy;
        if (policy == BoxPolicy.Listed && !dataset.HasListedBoxes)
        {
            throw new CliException(
                "These annotations list no face boxes: pass --boxes FILE (a CNN_FacePoint list) or --box landmarks.");
        }

        var samples = new FaceSample[dataset.Samples.Count];
        for (int i = 0; i < samples.Length; i++)
        {
            FaceSample sample = dataset.Samples[i];
            samples[i] = policy switch
            {
                BoxPolicy.Listed => sample,
                BoxPolicy.FromLandmarks => sample.WithBox(FaceBoxes.Select(sample, policy, 1, 1)),
                _ => sample.WithBox(WholeImage(sample)),
            };
        }

        return dataset with { Samples = samples, BoxPolicy = policy };
    }

    private static FaceBox WholeImage(FaceSample sample)
    {
        if (sample.Image is MemoryImageSource memory)
        {
            return new FaceBox(0, 0, memory.Width, memory.Height);
        }

        IImageInfo info = Image.Identify(sample.Image.Description)
            ?? throw new CliException($"{sample.Origin}: '{sample.Image.Description}' is not an image this tool can read.");
        return new FaceBox(0, 0, info.Width, info.Height);
    }
}
