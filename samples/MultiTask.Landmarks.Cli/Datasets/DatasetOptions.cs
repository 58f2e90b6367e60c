using System.CommandLine;
using MultiTask.Landmarks.Data.Boxes;

namespace MultiTask.Landmarks.Cli.Datasets;

/// <summary>The options that choose a dataset, shared by train, evaluate, compare and inspect.</summary>
internal sealed class DatasetOptions
{
    public Option<string> Dataset { get; } = new Option<string>("--dataset")
    {
        Description = "Which data: synthetic (built-in faces), mtfl, facepoint (CNN_FacePoint lists) or kaggle.",
        DefaultValueFactory = _ => "synthetic",
    }.AcceptOnlyFromAmong("synthetic", "mtfl", "facepoint", "kaggle");

    public Option<FileInfo?> Annotations { get; } = new("--annotations")
    {
        Description = "The annotation file (training.txt, testImageList.txt, training.csv, ...). Not for synthetic.",
    };

    public Option<DirectoryInfo?> Images { get; } = new("--images")
    {
        Description = "The folder that image paths are relative to. Default: the annotation file's folder.",
    };

    public Option<FileInfo?> Boxes { get; } = new("--boxes")
    {
        Description = "A CNN_FacePoint list to take face boxes from, joined by image path (for mtfl).",
    };

    public Option<string?> Box { get; } = new Option<string?>("--box")
    {
        Description = "The face box to crop: list (the listed or joined box), landmarks (derived from the points " +
                      "by the calibrated rule) or image (the whole image). Default: list when boxes exist, else " +
                      "landmarks (image for kaggle); evaluate defaults to the model's own.",
    }.AcceptOnlyFromAmong("list", "landmarks", "image");

    public Option<int> Faces { get; } = new("--faces")
    {
        Description = "How many synthetic faces to generate.",
        DefaultValueFactory = _ => 4000,
    };

    public Option<bool> Lenient { get; } = new("--lenient")
    {
        Description = "Skip bad annotation lines and unusable images (each is reported) instead of stopping at " +
                      "the first.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Dataset);
        command.Options.Add(Annotations);
        command.Options.Add(Images);
        command.Options.Add(Boxes);
        command.Options.Add(Box);
        command.Options.Add(Faces);
        command.Options.Add(Lenient);
    }

    public DatasetRequest Read(ParseResult result)
    {
        DatasetKind kind = result.GetValue(Dataset) switch
        {
            "mtfl" => DatasetKind.Mtfl,
            "facepoint" => DatasetKind.FacePoint,
            "kaggle" => DatasetKind.Kaggle,
            _ => DatasetKind.Synthetic,
        };
        BoxPolicy? policy = result.GetValue(Box) switch
        {
            "list" => BoxPolicy.Listed,
            "landmarks" => BoxPolicy.FromLandmarks,
            "image" => BoxPolicy.WholeImage,
            _ => null,
        };
        int faces = result.GetValue(Faces);
        if (faces < 1)
        {
            throw new CliException($"--faces must be at least 1, not {faces}.");
        }

        return new DatasetRequest(kind, result.GetValue(Annotations)?.FullName, result.GetValue(Images)?.FullName,
            result.GetValue(Boxes)?.FullName, policy, faces, result.GetValue(Lenient));
    }
}

/// <summary>What the user asked for.</summary>
internal sealed record DatasetRequest(
    DatasetKind Kind,
    string? Annotations,
    string? Images,
    string? Boxes,
    BoxPolicy? Box,
    int Faces,
    bool Lenient)
{
    /// <summary>Gets a value indicating whether the dataset labels the MTFL attributes.</summary>
    public bool HasAttributes => Kind is DatasetKind.Synthetic or DatasetKind.Mtfl;

    /// <summary>Gets the number of landmarks per face.</summary>
    public int Points => Kind == DatasetKind.Kaggle ? 15 : 5;
}
