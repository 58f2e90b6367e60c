using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Data.Preprocessing;
using MultiTask.Landmarks.Tests.Data.Augmentation;
using MultiTask.Landmarks.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Data.Loading;

[Collection(TorchCollection.Name)]
public sealed class FaceBatchLoaderTests
{
    private static readonly IReadOnlyList<FaceSample> Faces = AugmentedDotTests.DotFaces(count: 23, seed: 17);

    [Fact]
    public void TrainingBatches_DefaultOptions_HaveTheDocumentedShapesAndTypes()
    {
        var options = new FaceBatchLoaderOptions
        {
            Crop = new CropOptions { Width = 32, Height = 24, Grayscale = false }, BatchSize = 10,
            DegreeOfParallelism = 2,
        };
        FaceBatchLoader loader = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, options);

        FaceBatch[] batches = loader.GetTrainingBatches(0).ToArray();

        Assert.Equal(new[] { 10, 10, 3 }, batches.Select(b => b.Count));
        Assert.Equal(new long[] { 10, 3, 24, 32 }, batches[0].Images.shape);
        Assert.Equal(new long[] { 10, 5, 2 }, batches[0].Landmarks.shape);
        Assert.Equal(new long[] { 10, 5 }, batches[0].LandmarkMask.shape);
        Assert.Equal(new long[] { 10, 4 }, batches[0].Attributes.shape);
        Assert.Equal(ScalarType.Float32, batches[0].Images.dtype);
        Assert.Equal(ScalarType.Float32, batches[0].Landmarks.dtype);
        Assert.Equal(ScalarType.Float32, batches[0].LandmarkMask.dtype);
        Assert.Equal(ScalarType.Int64, batches[0].Attributes.dtype);
        Assert.Equal(DeviceType.CPU, batches[0].Images.device_type);
        foreach (FaceBatch batch in batches)
        {
            batch.Dispose();
        }
    }

    [Fact]
    public void TrainingBatches_OneEpoch_ShowEverySampleOnceInANewOrder()
    {
        FaceBatchLoader loader = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, Options(seed: 1, dropLast: false));

        int[] epoch0 = SampleOrder(loader, 0);
        int[] epoch1 = SampleOrder(loader, 1);

        Assert.Equal(Enumerable.Range(0, Faces.Count), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, Faces.Count), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(Enumerable.Range(0, Faces.Count), epoch0);
    }

    [Fact]
    public void TrainingBatches_DropLast_LeavesOutOnlyThePartialBatch()
    {
        FaceBatchLoader loader = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, Options(seed: 1, dropLast: true));

        int[] order = SampleOrder(loader, 0);

        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Equal(16, order.Length);
        Assert.Equal(16, order.Distinct().Count());
    }

    [Fact]
    public void TrainingBatches_SameSeed_AreIdenticalAcrossLoadersAndThreadCounts()
    {
        var one = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions
        {
            BatchSize = 8, Seed = 9, DegreeOfParallelism = 1,
        });
        var two = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions
        {
            BatchSize = 8, Seed = 9, DegreeOfParallelism = 2, BatchParallelism = 2,
        });
        var other = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions
        {
            BatchSize = 8, Seed = 10, DegreeOfParallelism = 2, BatchParallelism = 2,
        });

        using FaceBatch a = one.GetTrainingBatches(3).First();
        using FaceBatch b = two.GetTrainingBatches(3).First();
        using FaceBatch c = other.GetTrainingBatches(3).First();

        Assert.Equal(a.Images.data<float>().ToArray(), b.Images.data<float>().ToArray());
        Assert.Equal(a.Landmarks.data<float>().ToArray(), b.Landmarks.data<float>().ToArray());
        Assert.Equal(a.Attributes.data<long>().ToArray(), b.Attributes.data<long>().ToArray());
        Assert.NotEqual(a.Images.data<float>().ToArray(), c.Images.data<float>().ToArray());
    }

    [Fact]
    public void Batches_MissingPointsAndUnknownLabels_AreMaskedAndMinusOne()
    {
        FaceSample source = Faces[0];
        Landmark[] points = source.Landmarks.ToArray();
        points[0] = Landmark.Missing;
        points[4] = Landmark.Missing;
        var sample = new FaceSample(source.Image, points, source.Box, new FaceAttributes(1, -1, -1, 0));
        var flipOnly = new AugmentationOptions
        {
            FlipProbability = 1, MaxRotationDegrees = 0, MaxScaleChange = 0, MaxTranslation = 0, BoxJitter = 0,
            MaxBrightness = 0, MaxContrastChange = 0,
        };
        FaceBatchLoader loader = FaceBatchLoader.Create(
            new[] { sample }, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions { Augmentation = flipOnly });

        using FaceBatch plain = loader.GetEvaluationBatches().Single();
        using FaceBatch flipped = loader.GetTrainingBatches(0).Single();

        Assert.Equal(new float[] { 0, 1, 1, 1, 0 }, plain.LandmarkMask.data<float>().ToArray());
        Assert.Equal(0f, plain.Landmarks[0, 0, 0].item<float>());
        Assert.Equal(new long[] { 1, -1, -1, 0 }, plain.Attributes.data<long>().ToArray());

        // The flip swaps the eyes and mouth corners, so the missing marks swap too, and the pose 0 becomes 4.
        Assert.Equal(new float[] { 1, 0, 1, 0, 1 }, flipped.LandmarkMask.data<float>().ToArray());
        Assert.Equal(new long[] { 1, -1, -1, 4 }, flipped.Attributes.data<long>().ToArray());
    }

    [Fact]
    public void EvaluationBatches_EqualTheInferenceCropper()
    {
        var options = new FaceBatchLoaderOptions { BatchSize = 64 };
        FaceBatchLoader loader = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, options);
        var cropper = new FaceCropper(options.Crop);

        using FaceBatch batch = loader.GetEvaluationBatches().Single();
        float[] images = batch.Images.data<float>().ToArray();
        float[] points = batch.Landmarks.data<float>().ToArray();

        for (int n = 0; n < Faces.Count; n++)
        {
            using Image<Rgb24> image = Faces[n].Image.Load();
            FaceCrop crop = cropper.Crop(image, Faces[n].Box!.Value);
            Assert.Equal(crop.Pixels, images.AsSpan(n * 1600, 1600).ToArray());
            Assert.Equal(crop.Transform.ImageToCrop, loader.GetTransform(n).ImageToCrop);
            Landmark expected = crop.Transform.ToCrop(Faces[n].Landmarks[2]);
            Assert.Equal(expected.X, points[(n * 10) + 4], 1e-6f);
            Assert.Equal(expected.Y, points[(n * 10) + 5], 1e-6f);
        }
    }

    [Fact]
    public void Batches_Disposed_LeaveNoLiveTensors()
    {
        FaceBatchLoader loader = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, Options(seed: 2, dropLast: false));
        DisposeScopeManager.Statistics.Reset();
        FaceBatch first = loader.GetTrainingBatches(0).First();
        long whileHeld = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        first.Dispose();

        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (FaceBatch batch in loader.GetTrainingBatches(epoch))
            {
                batch.Dispose();
            }
        }

        foreach (FaceBatch batch in loader.GetEvaluationBatches())
        {
            batch.Dispose();
        }

        Assert.Equal(4, whileHeld);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Create_LenientWithABrokenSample_SkipsAndNamesIt()
    {
        var broken = new FaceSample(
            Faces[1].Image, Faces[1].Landmarks, box: null, origin: new SampleOrigin("x.txt", 7));
        var samples = new[] { Faces[0], broken, Faces[2] };

        var lenient = new FaceBatchLoaderOptions { Strict = false };
        var loader = FaceBatchLoader.Create(samples, LandmarkSchema.Mtfl5, lenient);
        var error = Assert.Throws<InvalidDataException>(() => FaceBatchLoader.Create(samples, LandmarkSchema.Mtfl5));

        Assert.Equal(2, loader.Count);
        SkippedSample skipped = Assert.Single(loader.Skipped);
        Assert.Equal(1, skipped.Index);
        Assert.Contains("x.txt:7", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("x.txt:7", error.Message, StringComparison.Ordinal);
    }

    private static FaceBatchLoaderOptions Options(int seed, bool dropLast) => new()
    {
        Augmentation = AugmentationOptions.None, BatchSize = 8, Seed = seed, DropLast = dropLast,
        DegreeOfParallelism = 2,
    };

    // Without augmentation every face keeps its own nose position, which identifies it.
    private static int[] SampleOrder(FaceBatchLoader loader, int epoch)
    {
        using FaceBatch reference = FaceBatchLoader.Create(Faces, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions
        {
            Augmentation = null, BatchSize = 64,
        }).GetEvaluationBatches().Single();
        float[] noses = reference.Landmarks.data<float>().ToArray();
        var order = new List<int>();
        foreach (FaceBatch batch in loader.GetTrainingBatches(epoch))
        {
            using (batch)
            {
                float[] points = batch.Landmarks.data<float>().ToArray();
                for (int n = 0; n < batch.Count; n++)
                {
                    order.Add(Enumerable.Range(0, Faces.Count).Single(m =>
                        noses[(m * 10) + 4] == points[(n * 10) + 4] && noses[(m * 10) + 5] == points[(n * 10) + 5]));
                }
            }
        }

        return order.ToArray();
    }
}
