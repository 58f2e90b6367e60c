using System.Text.Json;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class CliCompareTests
{
    [Fact]
    public async Task Compare_TwoVariantsThenRerun_WritesReportAndReusesRuns()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string[] args =
        {
            "compare", "--archs", "single,cross-stitch", "--seeds", "5", "--faces", "100", "--epochs", "1",
            "--batch-size", "32", "--test-faces", "30", "--threads", "2", "--out", folder,
        };
        string model = Path.Combine(folder, "runs", "cross-stitch-seed5", "model.mtl");

        int first = await CliRun.RunAsync(args);
        DateTime written = File.GetLastWriteTimeUtc(model);
        int second = await CliRun.RunAsync(args);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(model));
        JsonElement results = CliRun.ReadJson(Path.Combine(folder, "results.json"));
        JsonElement[] variants = results.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(new[] { "single", "cross-stitch" }, variants.Select(v => v.GetProperty("name").GetString()));
        Assert.Equal(0.0, variants[0].GetProperty("deltaM").GetProperty("mean").GetDouble(), 9);
        Assert.True(variants[1].GetProperty("nmeBoxWidth").GetProperty("mean").GetDouble() > 0);
        Assert.InRange(variants[1].GetProperty("attributeAccuracies").GetProperty("gender").GetProperty("mean")
            .GetDouble(), 0, 1);

        // The heat map's data: one unit per TCDCN stage, 5 x 5 weights, still near the initial 0.9 on the diagonal
        // after one short epoch.
        JsonElement[] stages = variants[1].GetProperty("crossStitch").EnumerateArray().ToArray();
        Assert.Equal(new[] { "conv1", "conv2", "conv3", "conv4", "fc" },
            stages.Select(s => s.GetProperty("stage").GetString()));
        JsonElement weights = stages[0].GetProperty("weights");
        Assert.Equal(5, weights.GetArrayLength());
        Assert.All(Enumerable.Range(0, 5), i => Assert.InRange(weights[i][i].GetDouble(), 0.5, 1.2));

        string markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
        Assert.Contains("| single (1 seed) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| cross-stitch (1 seed) |", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "landmark-error.png")));
        Assert.True(File.Exists(Path.Combine(folder, "cross-stitch-weights-cross-stitch.png")));
    }

    [Fact]
    public async Task Compare_FolderOfOtherSettings_RefusesToOverwrite()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string run = Path.Combine(folder, "runs", "single-seed1");
        Directory.CreateDirectory(run);
        await File.WriteAllTextAsync(Path.Combine(run, "run-key.json"), "{\"other\":true}");

        int code = await CliRun.RunAsync("compare", "--archs", "single", "--seeds", "1", "--faces", "40", "--epochs",
            "1", "--test-faces", "10", "--threads", "2", "--out", folder);

        Assert.Equal(2, code);
        Assert.False(File.Exists(Path.Combine(run, "model.mtl")));
    }
}
