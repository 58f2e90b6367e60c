using BenchmarkDotNet.Attributes;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// One inference batch of every architecture: the forward pass in evaluation and inference mode, the attribute
/// softmax and the copy of every output to managed arrays, as <c>LandmarkPredictor</c> does after cropping.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private ColumnNetwork? network;
    private FaceBatch? batch;

    /// <summary>Gets or sets the architecture (see <see cref="Architectures.Names"/>).</summary>
    [ParamsSource(nameof(ArchitectureNames))]
    public string Architecture { get; set; } = "shared";

    /// <summary>Gets or sets the faces per batch.</summary>
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
        network = NetworkFactory.Create(Architectures.Get(Architecture));
        network.eval();
        batch = SyntheticBatch.Create(BatchSize, network.InputShape);
    }

    [Benchmark]
    public float Forward()
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        Dictionary<string, Tensor> outputs = network!.forward(batch!.Images);
        float sum = 0;
        foreach (TaskSpec task in network.Tasks)
        {
            Tensor output = task.Kind == TaskKind.Classification ? outputs[task.Name].softmax(1) : outputs[task.Name];
            sum += output.cpu().data<float>().ToArray()[0];
        }

        return sum;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        batch?.Dispose();
        network?.Dispose();
        batch = null;
        network = null;
    }
}
