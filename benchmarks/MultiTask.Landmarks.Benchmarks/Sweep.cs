using System.Globalization;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// The parameter sweep of the network benchmarks. BenchmarkDotNet's <c>--filter</c> matches type and method names
/// only, so two environment variables narrow the sweep for a quick look: <c>MTL_BENCH_ARCHITECTURES</c> (names
/// separated by commas, from <see cref="Architectures.Names"/>) and <c>MTL_BENCH_BATCH_SIZES</c> (numbers separated
/// by commas).
/// </summary>
internal static class Sweep
{
    public static IEnumerable<string> ArchitectureNames() =>
        Narrow("MTL_BENCH_ARCHITECTURES", Architectures.Names, s => s);

    public static IEnumerable<int> BatchSizes() =>
        Narrow("MTL_BENCH_BATCH_SIZES", [1, 64, 256], s => int.Parse(s, CultureInfo.InvariantCulture));

    private static IEnumerable<T> Narrow<T>(string variable, IEnumerable<T> all, Func<string, T> parse)
    {
        string? chosen = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(chosen)
            ? all
            : chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse);
    }
}
