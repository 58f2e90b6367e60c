namespace MultiTask.Landmarks.Cli.Datasets;

/// <summary>The datasets mtl reads.</summary>
internal enum DatasetKind
{
    Synthetic,
    Mtfl,
    FacePoint,
    Kaggle,
}
