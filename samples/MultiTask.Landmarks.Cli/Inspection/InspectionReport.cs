namespace MultiTask.Landmarks.Cli.Inspection;

/// <summary>The JSON of mtl inspect: counts, distributions, box statistics and every problem with its file and line.
/// </summary>
internal sealed record InspectionReport(
    string Dataset,
    string Source,
    int ListedFaces,
    int UsableFaces,
    int DistinctImages,
    int DuplicateImages,
    int GreyImages,
    IReadOnlyDictionary<string, int> ImageSizes,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Attributes,
    IReadOnlyDictionary<string, int> MissingPoints,
    string BoxSource,
    SizeStatistics? BoxWidth,
    SizeStatistics? BoxHeight,
    SizeStatistics? InterOcularDistance,
    SizeStatistics? InterOcularToBoxWidth,
    int BoxesBeyondImage,
    int FacesWithPointsOutsideBox,
    IReadOnlyList<InspectionProblem> Problems,
    double Seconds)
{
    public bool IsClean => Problems.Count == 0;
}

/// <summary>One problem: the annotation file and line (0 when the problem is not a line's), and what is wrong.
/// </summary>
internal sealed record InspectionProblem(string File, int Line, string Kind, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>The spread of a size over the faces.</summary>
internal sealed record SizeStatistics(double Min, double Median, double Mean, double Max)
{
    public static SizeStatistics? Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        double[] sorted = values.Order().ToArray();
        double median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new SizeStatistics(sorted[0], median, sorted.Average(), sorted[^1]);
    }
}
