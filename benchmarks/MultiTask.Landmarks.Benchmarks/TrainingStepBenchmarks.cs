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
    [Params(1, 64, 256)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Gets the architectures.</summary>
    public static IEnumerable<string> ArchitectureNames => Architectures.Names;

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
