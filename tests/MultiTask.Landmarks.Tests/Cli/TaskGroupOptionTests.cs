using MultiTask.Landmarks.Cli.Commands;
using MultiTask.Landmarks.Modules;

namespace MultiTask.Landmarks.Tests.Cli;

/// <summary>--task-groups turns into the network configuration's column groups.</summary>
public sealed class TaskGroupOptionTests
{
    [Fact]
    public void Create_CrossStitchWithTwoGroups_GivesTwoColumns()
    {
        NetworkConfig config = NetworkOptions.Create(
            "tcdcn", "cross-stitch", null, null, 0, true, 5, "landmarks; gender,smile, glasses,pose");

        Assert.Equal(ArchitectureKind.CrossStitch, config.Architecture);
        Assert.NotNull(config.TaskGroups);
        Assert.Equal(new[] { "landmarks" }, config.TaskGroups[0]);
        Assert.Equal(new[] { "gender", "smile", "glasses", "pose" }, config.TaskGroups[1]);
    }

    [Fact]
    public void Create_SharedWithGroups_IgnoresThemAsHardSharingHasNoColumns()
    {
        NetworkConfig config = NetworkOptions.Create(
            "tcdcn", "shared", null, null, 0, true, 5, "landmarks;gender,smile,glasses,pose");

        Assert.Null(config.TaskGroups);
    }
}
