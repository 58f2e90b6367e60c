using BenchmarkDotNet.Attributes;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Data.Preprocessing;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>
/// The data path before the network: parsing an MTFL list, decoding a photo and cropping its face, drawing an
/// augmentation, and assembling a 64-face batch from the loader's stored crops with and without augmentation.
/// </summary>
[MemoryDiagnoser]
public class DataPathBenchmarks
{
    private const int BatchFaces = 64;
    private byte[] list = [];
    private byte[] photo = [];
    private readonly FaceCropper cropper = new();
    private readonly FaceAugmenter augmenter = new(AugmentationOptions.Default, LandmarkSchema.Mtfl5);
    private readonly Random random = new(5);
    private FaceBatchLoader? loader;
    private int epoch;

    [GlobalSetup]
    public void Setup()
    {
        Torch.Initialize();
        list = BenchmarkData.MtflList();
        photo = BenchmarkData.FacePhoto();
        IReadOnlyList<FaceSample> faces = new SyntheticFaceGenerator().Generate(4 * BatchFaces);
        loader = FaceBatchLoader.Create(faces, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions
        {
            BatchSize = BatchFaces, Augmentation = AugmentationOptions.Default, DegreeOfParallelism = 2,
        });
    }

    /// <summary>Parses the 10,000 lines of MTFL's training list (or its generated stand-in) from memory.</summary>
    [Benchmark]
    [FacesPerInvoke(BenchmarkData.MtflFaces)]
    public int ParseMtfl()
    {
        using var stream = new MemoryStream(list, writable: false);
        return MtflReader.Read(stream, "/mtfl/training.txt").Records.Count;
    }

    /// <summary>Decodes a 250x250 JPEG and crops its face to the 40x40 grey network input.</summary>
    [Benchmark]
    [FacesPerInvoke(1)]
    public float DecodeAndCrop()
    {
        using Image<Rgb24> image = Image.Load<Rgb24>(photo);
        FaceCrop crop = cropper.Crop(image, BenchmarkData.CentralBox(image.Width, image.Height));
        return crop.Pixels[0];
    }

    /// <summary>Draws one augmentation (flip, rotation, scale, shift, box jitter, brightness, contrast).</summary>
    [Benchmark]
    [FacesPerInvoke(1)]
    public double DrawAugmentation() => augmenter.Draw(random).Scale;

    /// <summary>Assembles a training batch of 64 faces: each stored crop resampled through its augmentation.</summary>
    [Benchmark]
    [FacesPerInvoke(BatchFaces)]
    public int AugmentedBatch()
    {
        using FaceBatch batch = loader!.GetTrainingBatches(epoch++).First();
        return batch.Count;
    }

    /// <summary>Assembles an evaluation batch of 64 faces: the same path without augmentation.</summary>
    [Benchmark]
    [FacesPerInvoke(BatchFaces)]
    public int PlainBatch()
    {
        using FaceBatch batch = loader!.GetEvaluationBatches().First();
        return batch.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => loader = null;
}
