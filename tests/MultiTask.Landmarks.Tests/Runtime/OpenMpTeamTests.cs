using System.Collections.Concurrent;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Runtime;

/// <summary>
/// The managed kernels' parts run on libtorch's OpenMP team where libtorch brought libgomp: every part exactly once,
/// whatever the team's size, and a part's exception comes back to the caller instead of ending the process.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OpenMpTeamTests
{
    public OpenMpTeamTests()
    {
        // The team is found in the process's memory map, so libtorch (and its libgomp) must be loaded first.
        using Tensor loaded = zeros(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)] // more parts than threads: each thread takes every team-size-th part
    public void For_RunsEveryPartOnce(int parts)
    {
        var counts = new int[parts];

        OpenMpTeam.For(parts, part => Interlocked.Increment(ref counts[part]));

        Assert.All(counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void For_APartThrows_RethrowsOnTheCallingThread()
    {
        var ran = new ConcurrentBag<int>();

        var error = Assert.Throws<InvalidOperationException>(() => OpenMpTeam.For(4, part =>
        {
            ran.Add(part);
            if (part == 1)
            {
                throw new InvalidOperationException("part 1 failed");
            }
        }));

        Assert.Equal("part 1 failed", error.Message);
        Assert.Contains(1, ran);
    }

    [Fact]
    public void Available_WhereLibtorchLoadedLibgomp()
    {
        bool loaded = OperatingSystem.IsLinux()
            && File.ReadLines("/proc/self/maps").Any(line => line.Contains("/libgomp", StringComparison.Ordinal));

        Assert.Equal(loaded, OpenMpTeam.Available);
    }
}
