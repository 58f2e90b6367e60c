using System.Text.Json;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class CliProfileTests
{
    [Fact]
    public async Task Profile_TinyBudget_ReportsTheContractFields()
    {
        string json = Path.Combine(TestPaths.NewTemporaryFolder(), "profile.json");

        int code = await CliRun.RunAsync("profile", "--preset", "tcdcn", "--arch", "shared", "--batch-size", "16",
            "--steps", "3", "--warmup", "1", "--threads", "2", "--json", json);

        Assert.Equal(0, code);
        JsonElement report = CliRun.ReadJson(json);
        Assert.Equal(79_357, report.GetProperty("parameters").GetInt64());
        Assert.Equal(16, report.GetProperty("batchSize").GetInt32());
        Assert.True(report.GetProperty("trainSamplesPerSecond").GetDouble() > 0);

        // Rendering a batch is part of each timed step, so it is shorter than the step.
        double render = report.GetProperty("batchRenderMs").GetDouble();
        Assert.InRange(render, double.Epsilon, report.GetProperty("trainStepMs").GetDouble());
        Assert.True(report.GetProperty("inferenceLatencyMs").GetDouble() > 0);
        Assert.True(report.GetProperty("networkLatencyMs").GetDouble() > 0);
        Assert.True(report.GetProperty("networkFacesPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("inferenceFacesPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("peakWorkingSetMb").GetDouble() > 10);
    }
}
