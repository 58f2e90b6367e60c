using MultiTask.Landmarks.Runtime;

namespace MultiTask.Landmarks.Tests.Runtime;

/// <summary>
/// The trainer's periodic generation-0 collection: every n-th step collects, none when turned off, and a negative
/// interval is refused. What it buys (a heap that no longer grows past the steps' own buffers) is measured in
/// docs/benchmarks.md; tests do not time or size the heap.
/// </summary>
public sealed class StepCollectorTests
{
    [Fact]
    public void StepDone_EveryFourthStep_CollectsGenerationZero()
    {
        var collector = new StepCollector(4);
        int before = GC.CollectionCount(0);

        for (int step = 0; step < 11; step++)
        {
            collector.StepDone();
        }

        Assert.Equal(2, collector.Collections);
        Assert.True(GC.CollectionCount(0) - before >= 2, "the collector forces the collections it counts");
    }

    [Fact]
    public void StepDone_TurnedOff_NeverCollects()
    {
        var collector = new StepCollector(0);

        for (int step = 0; step < 100; step++)
        {
            collector.StepDone();
        }

        Assert.Equal(0, collector.Collections);
    }

    [Fact]
    public void Constructor_NegativeInterval_NamesTheArgument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StepCollector(-1));

        Assert.Equal("stepsPerCollection", error.ParamName);
    }
}
