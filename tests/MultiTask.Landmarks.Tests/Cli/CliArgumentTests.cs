using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Cli;

/// <summary>Bad command lines end with exit code 2 before any training starts.</summary>
[Collection(TorchCollection.Name)]
public sealed class CliArgumentTests
{
    [Theory]
    [InlineData("train", "--bogus")]
    [InlineData("train", "--dataset", "imagenet")]
    [InlineData("train", "--arch", "pyramid")]
    [InlineData("train", "--epochs", "0")]
    [InlineData("train", "--batch-size", "many")]
    [InlineData("train", "--dataset", "mtfl")]
    [InlineData("train", "--arch", "single", "--tasks", "landmarks,smile")]
    [InlineData("train", "--arch", "shared", "--split-at", "2")]
    [InlineData("train", "--arch", "cross-stitch", "--task-groups", "landmarks;gender,smile,glasses")]
    [InlineData("train", "--arch", "cross-stitch", "--task-groups", "landmarks,gender;gender,smile,glasses,pose")]
    [InlineData("train", "--arch", "split", "--task-groups", "landmarks;beard,gender,smile,glasses,pose")]
    [InlineData("train", "--arch", "cross-stitch", "--task-groups", "landmarks,gender,smile,glasses,pose")]
    [InlineData("compare", "--archs", "split:x")]
    [InlineData("compare", "--archs", "shared+mutual")]
    [InlineData("compare", "--archs", "single,single")]
    [InlineData("compare", "--seeds", "1,1")]
    [InlineData("compare", "--seeds", "one")]
    [InlineData("profile", "--steps", "0")]
    [InlineData("synth", "--size", "8")]
    [InlineData("inspect", "--dataset", "mtfl", "--annotations", "/no/such/list.txt")]
    [InlineData("predict", "--image", "face.png")]
    public async Task RunAsync_BadArguments_ReturnsBadInput(params string[] args)
    {
        int code = await CliRun.RunAsync(args);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Predict_MissingModel_ReturnsBadInput()
    {
        string folder = TestPaths.NewTemporaryFolder();

        int code = await CliRun.RunAsync(
            "predict", "--model", Path.Combine(folder, "none.mtl"), "--image", Path.Combine(folder, "none.png"));

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Help_EveryVerb_Succeeds()
    {
        foreach (string verb in new[] { "train", "evaluate", "predict", "synth", "compare", "profile", "inspect" })
        {
            Assert.Equal(0, await CliRun.RunAsync(verb, "--help"));
        }
    }
}
