using MultiTask.Landmarks.Cli.Datasets;

namespace MultiTask.Landmarks.Cli;

/// <summary>The best training recipe the project knows for each dataset: what `mtl train` uses when an option is not
/// given. The MTFL recipe is the one measured in docs/results.md.</summary>
internal sealed record Recipe(
    string Preset, string Architecture, int Epochs, int BatchSize, double LearningRate, float Padding)
{
    public static Recipe For(DatasetKind kind) => kind switch
    {
        DatasetKind.Synthetic => new("tcdcn", "shared", 12, 64, 2e-3, 0.1f),
        DatasetKind.Kaggle => new("compact64", "shared", 40, 64, 1e-3, 0f),
        _ => new("tcdcn", "shared", 60, 64, 2e-3, 0.1f),
    };
}
