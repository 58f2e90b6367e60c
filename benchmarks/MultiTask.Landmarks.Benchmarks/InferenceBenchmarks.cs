using BenchmarkDotNet.Attributes;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// One inference batch of every architecture: the forward pass in evaluation and inference mode and the copy of
/// every output to a managed array, as <c>LandmarkPredictor</c> does after cropping.
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
        // As the predictor reads them: one joined output tensor copied out once; its softmax of a few logits per
        // attribute then runs in managed code, which costs nanoseconds and is left out.
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        float[] outputs = network!.ForwardJoined(batch!.Images).cpu().data<float>().ToArray();
        return outputs[0] + outputs[^1];
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
