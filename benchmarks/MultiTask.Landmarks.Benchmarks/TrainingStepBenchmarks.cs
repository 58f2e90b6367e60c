using BenchmarkDotNet.Attributes;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>One training step (forward, loss, backward, clipping, Adam) of every architecture, as the trainer takes it.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private TrainingStep? step;

    /// <summary>Gets or sets the architecture (see <see cref="Architectures.Names"/>).</summary>
    [ParamsSource(nameof(ArchitectureNames))]
    public string Architecture { get; set; } = "shared";

    /// <summary>Gets or sets the faces per step.</summary>
    [ParamsSource(nameof(BatchSizes))]
    public int BatchSize { get; set; } = 64;

    /// <summary>Gets the architectures (see <see cref="Sweep"/>).</summary>
    public static IEnumerable<string> ArchitectureNames => Sweep.ArchitectureNames();

    /// <summary>Gets the batch sizes: 1, 64 and 256 (see <see cref="Sweep"/>).</summary>
    public static IEnumerable<int> BatchSizes => Sweep.BatchSizes();

    [GlobalSetup]
    public void Setup()
    {
        Torch.Initialize();
        step = new TrainingStep(Architectures.Get(Architecture), BatchSize);
    }

    [Benchmark]
    public double Step() => step!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        step?.Dispose();
        step = null;
    }
}
