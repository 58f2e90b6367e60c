using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Readers;

namespace MultiTask.Landmarks.Cli.Datasets;

/// <summary>Samples ready to crop: each has the box its policy chose.</summary>
internal sealed record LoadedDataset(
    DatasetKind Kind,
    string Source,
    IReadOnlyList<FaceSample> Samples,
    LandmarkSchema Schema,
    BoxPolicy BoxPolicy,
    bool HasListedBoxes,
    IReadOnlyList<ReadProblem> Problems)
{
    /// <summary>Gets a value indicating whether the dataset labels the MTFL attributes.</summary>
    public bool HasAttributes => Kind is DatasetKind.Synthetic or DatasetKind.Mtfl;
}
