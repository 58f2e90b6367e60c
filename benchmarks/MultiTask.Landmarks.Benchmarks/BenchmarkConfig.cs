using BenchmarkDotNet.Configs;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>The configuration every run shares; the job comes from the command line (<c>--job short</c>).</summary>
internal static class BenchmarkConfig
{
    /// <summary>Gets the libtorch CPU threads every benchmark sets: 2, the cores of the machine the figures in
    /// docs/benchmarks.md come from, stated rather than left to libtorch so that runs elsewhere compare.
    /// <c>MTL_BENCH_THREADS</c> overrides it (1 is the fair choice on an oversubscribed machine, where two
    /// libtorch threads spend most of their time waiting for each other).</summary>
    public static int Threads { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("MTL_BENCH_THREADS"), out int threads) && threads > 0
            ? threads
            : 2;

    /// <summary>Creates the configuration: the faces/s column, and a build timeout of 15 minutes instead of 2,
    /// because the generated project of each benchmark process rebuilds the library, which takes longer than 2 minutes
    /// on a busy 2-core machine.</summary>
    /// <returns>The configuration.</returns>
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(new FacesPerSecondColumn())
        .WithBuildTimeout(TimeSpan.FromMinutes(15));
}
