using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Data.Preprocessing;
using MultiTask.Landmarks.Tests.Data.Preprocessing;
using MultiTask.Landmarks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MultiTask.Landmarks.Tests.Data.Augmentation;

/// <summary>The image and its landmarks move together: a dot drawn under each landmark is found under the landmark
/// again after random augmentations.</summary>
[Collection(TorchCollection.Name)]
public sealed class AugmentedDotTests(ITestOutputHelper output)
{
    // Stronger than the defaults, so that every kind of transform is exercised at its extremes.
    private static readonly AugmentationOptions Strong = new()
    {
        FlipProbability = 0.5, MaxRotationDegrees = 30, MaxScaleChange = 0.2, MaxTranslation = 0.1, BoxJitter = 0.1,
        MaxBrightness = 0.2, MaxContrastChange = 0.3,
    };

    [Theory]
    [InlineData(40, 40, true)]
    [InlineData(56, 40, false)]
    public void TrainingBatches_RandomAugmentations_KeepEachDotUnderItsLandmark(int width, int height, bool grey)
    {
        IReadOnlyList<FaceSample> samples = DotFaces(count: 12, seed: 11);
        var options = new FaceBatchLoaderOptions
        {
            Crop = new CropOptions { Width = width, Height = height, Grayscale = grey },
            Augmentation = Strong, BatchSize = 12, Seed = 5, DegreeOfParallelism = 1,
        };
        FaceBatchLoader loader = FaceBatchLoader.Create(samples, LandmarkSchema.Mtfl5, options);
        int checkedDots = 0, edgeDots = 0;
        double worst = 0, total = 0;

        for (int epoch = 0; epoch < 25; epoch++)
        {
            using FaceBatch batch = loader.GetTrainingBatches(epoch).Single();
            float[] images = batch.Images.data<float>().ToArray();
            float[] points = batch.Landmarks.data<float>().ToArray();
            int plane = width * height, channels = grey ? 1 : 3;
            for (int n = 0; n < batch.Count; n++)
            {
                for (int k = 0; k < 5; k++)
                {
                    double px = (points[(n * 10) + (2 * k)] * width) - 0.5;
                    double py = (points[(n * 10) + (2 * k) + 1] * height) - 0.5;
                    if (px < 4 || py < 4 || px > width - 5 || py > height - 5)
                    {
                        edgeDots++;
                        continue;
                    }

                    // The last channel: in RGB mode it checks that the planes are not mixed up.
                    var channel = new ReadOnlySpan<float>(images, ((n * channels) + channels - 1) * plane, plane);
                    (double cx, double cy) = DotImage.Centroid(channel, width, height, px, py, radius: 3);
                    double error = Math.Sqrt(((cx - px) * (cx - px)) + ((cy - py) * (cy - py)));
                    worst = Math.Max(worst, error);
                    total += error;
                    checkedDots++;
                    Assert.True(error <= 1.0, $"Epoch {epoch}, face {n}, point {k}: dot at ({cx:F2}, {cy:F2}), "
                        + $"landmark at ({px:F2}, {py:F2}) crop pixels.");
                }
            }
        }

        output.WriteLine($"{checkedDots} dots checked, {edgeDots} near the edge; mean error {total / checkedDots:F3} "
            + $"px, worst {worst:F3} px");
        Assert.True(checkedDots > 1200, $"Only {checkedDots} dots were inside the crops.");

        // On average far tighter than the 1 px bound: a half-pixel slip of the pixel-centre convention would show.
        Assert.True(total / checkedDots < 0.1, $"Mean dot error {total / checkedDots:F3} px.");
    }

    [Fact]
    public void TrainingBatches_FlipOnly_MirrorThePixelsAndSwapThePairs()
    {
        IReadOnlyList<FaceSample> samples = DotFaces(count: 4, seed: 3);
        var flipOnly = new AugmentationOptions
        {
            FlipProbability = 1, MaxRotationDegrees = 0, MaxScaleChange = 0, MaxTranslation = 0, BoxJitter = 0,
            MaxBrightness = 0, MaxContrastChange = 0,
        };
        var options = new FaceBatchLoaderOptions { Augmentation = flipOnly, BatchSize = 4, DegreeOfParallelism = 1 };
        FaceBatchLoader loader = FaceBatchLoader.Create(samples, LandmarkSchema.Mtfl5, options);
        using FaceBatch plain = loader.GetEvaluationBatches().Single();
        using FaceBatch flipped = loader.GetTrainingBatches(0).Single();
        long[] order = FindOrder(plain, flipped);

        float[] a = plain.Images.data<float>().ToArray(), b = flipped.Images.data<float>().ToArray();
        float[] pa = plain.Landmarks.data<float>().ToArray(), pb = flipped.Landmarks.data<float>().ToArray();
        for (int n = 0; n < 4; n++)
        {
            long m = order[n];
            for (int i = 0; i < 40; i++)
            {
                for (int j = 0; j < 40; j++)
                {
                    Assert.Equal(a[(m * 1600) + (i * 40) + 39 - j], b[(n * 1600) + (i * 40) + j], 1e-5f);
                }
            }

            int[] mirror = { 1, 0, 2, 4, 3 };
            for (int k = 0; k < 5; k++)
            {
                Assert.Equal(1 - pa[(m * 10) + (2 * mirror[k])], pb[(n * 10) + (2 * k)], 1e-5f);
                Assert.Equal(pa[(m * 10) + (2 * mirror[k]) + 1], pb[(n * 10) + (2 * k) + 1], 1e-5f);
            }
        }
    }

    /// <summary>Faces of five dots in 120x120 dark images, at random places and sizes, with boxes around them.
    /// </summary>
    internal static IReadOnlyList<FaceSample> DotFaces(int count, int seed)
    {
        var random = new Random(seed);
        var samples = new FaceSample[count];
        for (int i = 0; i < count; i++)
        {
            float side = 45 + (25 * (float)random.NextDouble());
            float x = 20 + ((float)random.NextDouble() * (100 - side - 20)), y = 20 + ((float)random.NextDouble() * 20);
            var box = new FaceBox(x, y, side, side * (0.9f + (0.2f * (float)random.NextDouble())));
            (float U, float V)[] layout =
            {
                (0.3f, 0.35f), (0.7f, 0.35f), (0.5f, 0.55f), (0.33f, 0.78f), (0.67f, 0.78f),
            };
            Landmark[] points = layout.Select(p => new Landmark(
                box.X + (box.Width * (p.U + (0.04f * (float)(random.NextDouble() - 0.5)))),
                box.Y + (box.Height * (p.V + (0.04f * (float)(random.NextDouble() - 0.5)))))).ToArray();
            samples[i] = new FaceSample(DotImage.Source(120, 120, points, sigma: 1.5), points, box,
                new FaceAttributes(i % 2, 1, 0, i % 5), new SampleOrigin("dots", i + 1));
        }

        return samples;
    }

    // Which evaluation row each shuffled row came from, by its attributes and unflipped y coordinates.
    private static long[] FindOrder(FaceBatch plain, FaceBatch shuffled)
    {
        float[] a = plain.Landmarks.data<float>().ToArray(), b = shuffled.Landmarks.data<float>().ToArray();
        return Enumerable.Range(0, shuffled.Count).Select(n => (long)Enumerable.Range(0, plain.Count)
            .Single(m => Math.Abs(a[(m * 10) + 5] - b[(n * 10) + 5]) < 1e-6)).ToArray();
    }
}
