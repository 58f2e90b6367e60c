using System.Globalization;
using MultiTask.Landmarks.Cli.Commands;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>
/// One architecture of a comparison, written <c>BASE[:K][+MODIFIER]...</c>: a base of single, shared, split (with
/// the split stage K) or cross-stitch, and modifiers mutual[=LAMBDA] (mutual weight regularization), uncertainty,
/// dwa or gradnorm (task weighting), tws (TCDCN task-wise early stopping) and stitch-lr=M (the cross-stitch
/// weights' learning-rate multiplier). The text is the variant's name.
/// </summary>
internal sealed record VariantSpec(
    string Name,
    string Architecture,
    int? SplitAt,
    double MutualRegularization,
    TaskWeightingKind Weighting,
    bool TaskWiseStopping,
    double? StitchLearningRate = null)
{
    /// <summary>The lambda of a bare <c>mutual</c> modifier.</summary>
    public const double DefaultMutualLambda = 1.0;

    public const string Syntax =
        "BASE[:K][+MODIFIER]..., BASE one of single, shared, split (K = shared stages), cross-stitch; MODIFIER one " +
        "of mutual[=LAMBDA], uncertainty, dwa, gradnorm, tws (task-wise early stopping), stitch-lr=M (cross-stitch " +
        "learning-rate multiplier)";

    /// <summary>Gets the name as a folder name: ':' is not allowed in Windows paths.</summary>
    public string FolderName => Name.Replace(':', '-');

    public static IReadOnlyList<VariantSpec> ParseList(string text)
    {
        string[] items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0)
        {
            throw new CliException($"--archs is empty; list architectures as {Syntax}.");
        }

        VariantSpec[] variants = items.Select(Parse).ToArray();
        string? duplicate = variants.GroupBy(v => v.FolderName).FirstOrDefault(g => g.Count() > 1)?.Key;
        return duplicate is null ? variants : throw new CliException($"--archs lists '{duplicate}' twice.");
    }

    public static VariantSpec Parse(string text)
    {
        string name = text.Trim().ToLowerInvariant();
        string[] parts = name.Split('+', StringSplitOptions.TrimEntries);
        string[] head = parts[0].Split(':', 2);
        string architecture = head[0];
        if (architecture is not ("single" or "shared" or "split" or "cross-stitch"))
        {
            throw Bad(text, $"unknown base '{architecture}'");
        }

        int? splitAt = null;
        if (head.Length == 2)
        {
            if (architecture != "split" || !int.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture,
                    out int k))
            {
                throw Bad(text, "only split takes a stage count, as in split:2");
            }

            splitAt = k;
        }

        double lambda = 0;
        TaskWeightingKind weighting = TaskWeightingKind.Fixed;
        bool taskWise = false;
        double? stitchLearningRate = null;
        foreach (string modifier in parts.Skip(1))
        {
            string[] pair = modifier.Split('=', 2);
            switch (pair[0])
            {
                case "mutual" when architecture is "split" or "cross-stitch":
                    lambda = pair.Length == 1 ? DefaultMutualLambda : ParseLambda(text, pair[1]);
                    break;
                case "mutual":
                    throw Bad(text, "mutual regularization needs task columns (split or cross-stitch)");
                case "uncertainty" or "dwa" or "gradnorm" when pair.Length == 1 && architecture != "single":
                    weighting = TrainingOptionsBinder.ParseWeighting(pair[0]);
                    break;
                case "tws" when pair.Length == 1 && architecture != "single":
                    taskWise = true;
                    break;
                case "stitch-lr" when pair.Length == 2 && architecture == "cross-stitch":
                    stitchLearningRate = ParseMultiplier(text, pair[1]);
                    break;
                default:
                    throw Bad(text, $"unknown or misplaced modifier '{modifier}'");
            }
        }

        return new VariantSpec(name, architecture, splitAt, lambda, weighting, taskWise, stitchLearningRate);
    }

    private static double ParseLambda(string text, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double lambda)
        && double.IsFinite(lambda) && lambda >= 0
            ? lambda
            : throw Bad(text, $"mutual={value} is not a lambda of at least 0");

    private static double ParseMultiplier(string text, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double multiplier)
        && double.IsFinite(multiplier) && multiplier > 0
            ? multiplier
            : throw Bad(text, $"stitch-lr={value} is not a multiplier above 0");

    private static CliException Bad(string text, string why) =>
        new($"--archs: '{text}': {why}. Write each architecture as {Syntax}.");
}
