using BenchmarkDotNet.Attributes;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Modules;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>The public inference path for TCDCN with hard sharing: <see cref="LandmarkPredictor"/> on decoded
/// photos, from the face box to landmarks in image pixels and attribute probabilities.</summary>
[MemoryDiagnoser]
public class PredictorBenchmarks
{
    private LandmarkPredictor? predictor;
    private Image<Rgb24>? image;
    private (Image<Rgb24> Image, FaceBox? Box)[] faces = [];

    /// <summary>Gets or sets the faces per call.</summary>
    [ParamsSource(nameof(BatchSizes))]
    public int BatchSize { get; set; } = 1;

    /// <summary>Gets the batch sizes: 1, 64 and 256 (see <see cref="Sweep"/>).</summary>
    public static IEnumerable<int> BatchSizes => Sweep.BatchSizes();

    [GlobalSetup]
    public void Setup()
    {
        Torch.Initialize();
        predictor = new LandmarkPredictor(LandmarkModel.Create(new NetworkConfig()), ownsModel: true);
        image = Image.Load<Rgb24>(BenchmarkData.FacePhoto());
        FaceBox box = BenchmarkData.CentralBox(image.Width, image.Height);
        faces = Enumerable.Repeat((image, (FaceBox?)box), BatchSize).ToArray();
    }

    [Benchmark]
    public float Predict() => predictor!.PredictBatch(faces)[^1].Landmarks[0].X;

    [GlobalCleanup]
    public void Cleanup()
    {
        predictor?.Dispose();
        image?.Dispose();
        predictor = null;
        image = null;
    }
}
