using BenchmarkDotNet.Attributes;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Data.Synthetic;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// One epoch of the real <see cref="Trainer"/> (default options, augmented batches of 64, no validation) on 1,280
/// stored synthetic crops, TCDCN with hard sharing: the training throughput an application sees, batch assembly
/// included.
/// </summary>
[MemoryDiagnoser]
public class TrainerEpochBenchmarks
{
    private const int Faces = 1280;
    private ColumnNetwork? network;
    private Trainer? trainer;
    private FaceBatchLoader? loader;

    [GlobalSetup]
    public void Setup()
    {
        Torch.Initialize();
        network = NetworkFactory.Create(new NetworkConfig());
        trainer = new Trainer(new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 64,
            ValidationFraction = 0,
            RestoreBestWeights = false,
            Device = DeviceRequest.Cpu,
            CpuThreads = BenchmarkConfig.Threads,
            DecodeParallelism = BenchmarkConfig.Threads,
        });
        loader = trainer.CreateLoaders(network, new SyntheticFaceGenerator().Generate(Faces)).Training;
    }

    [Benchmark]
    [FacesPerInvoke(Faces)]
    public double Epoch() => trainer!.FitAsync(network!, loader!).GetAwaiter().GetResult().TrainingFacesPerSecond;

    [GlobalCleanup]
    public void Cleanup()
    {
        network?.Dispose();
        network = null;
        loader = null;
    }
}
