using CsCheck;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Tests.Data.Augmentation;

public sealed class FaceAugmenterTests
{
    // Any valid ranges, a seed for the draw, and a crop size.
    private static readonly Gen<(AugmentationOptions Options, int Seed, int Width, int Height)> Cases = Gen.Select(
        Gen.Select(Gen.Double[0, 1], Gen.Double[0, 180], Gen.Double[0, 0.9], Gen.Double[0, 0.5],
            (flip, rotation, scale, shift) => (flip, rotation, scale, shift)),
        Gen.Select(Gen.Double[0, 0.5], Gen.Double[0, 1], Gen.Double[0, 0.9], (jitter, bright, contrast) =>
            (jitter, bright, contrast)),
        Gen.Int, Gen.Int[8, 96], Gen.Int[8, 96],
        (geometry, photometry, seed, width, height) => (new AugmentationOptions
        {
            FlipProbability = geometry.flip, MaxRotationDegrees = geometry.rotation, MaxScaleChange = geometry.scale,
            MaxTranslation = geometry.shift, BoxJitter = photometry.jitter, MaxBrightness = photometry.bright,
            MaxContrastChange = photometry.contrast,
        }, seed, width, height));

    [Fact]
    public void Draw_SameSeed_GivesTheSameParameters()
    {
        var augmenter = new FaceAugmenter(AugmentationOptions.Default, LandmarkSchema.Mtfl5);

        AugmentationParameters a = augmenter.Draw(new Random(42));
        AugmentationParameters b = augmenter.Draw(new Random(42));
        AugmentationParameters c = augmenter.Draw(new Random(43));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Draw_AnyValidRanges_StaysWithinThem()
    {
        Cases.Sample((options, seed, _, _) =>
        {
            AugmentationParameters p = new FaceAugmenter(options, LandmarkSchema.Mtfl5).Draw(new Random(seed));

            Assert.InRange(Math.Abs(p.RotationRadians), 0, (options.MaxRotationDegrees * Math.PI / 180) + 1e-12);
            Assert.InRange(p.Scale, 1 - options.MaxScaleChange - 1e-12, 1 + options.MaxScaleChange + 1e-12);
            Assert.InRange(Math.Abs(p.TranslationX), 0, options.MaxTranslation + 1e-12);
            Assert.InRange(Math.Abs(p.BoxShiftY), 0, options.BoxJitter + 1e-12);
            Assert.InRange(p.BoxScaleX, 1 - options.BoxJitter - 1e-12, 1 + options.BoxJitter + 1e-12);
            Assert.InRange(Math.Abs(p.Brightness), 0, options.MaxBrightness + 1e-6);
            Assert.InRange(p.Contrast, 1 - options.MaxContrastChange - 1e-6, 1 + options.MaxContrastChange + 1e-6);
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void TransformLandmarks_AnyDraw_MovesEachPointByTheGeometryAndSwapsPairsOnFlip()
    {
        Cases.Sample((options, seed, width, height) =>
        {
            var augmenter = new FaceAugmenter(options, LandmarkSchema.Kaggle15);
            var random = new Random(seed);
            AugmentationParameters p = augmenter.Draw(random);
            float[] points = Enumerable.Range(0, 30).Select(_ => (float)random.NextDouble()).ToArray();
            float[] mask = Enumerable.Range(0, 15).Select(_ => random.Next(4) == 0 ? 0f : 1f).ToArray();
            float[] moved = new float[30], movedMask = new float[15];

            augmenter.TransformLandmarks(p, width, height, points, mask, moved, movedMask);

            Affine2D geometry = p.Geometry(width, height), back = geometry.Invert();
            for (int target = 0; target < 15; target++)
            {
                int source = p.Flip ? LandmarkSchema.Kaggle15.MirrorOf(target) : target;
                Assert.Equal(mask[source], movedMask[target]);
                if (mask[source] == 0)
                {
                    Assert.Equal(0f, moved[2 * target]);
                    continue;
                }

                (double x, double y) = back.Apply(moved[2 * target], moved[(2 * target) + 1]);
                Assert.Equal(points[2 * source], x, 1e-4);
                Assert.Equal(points[(2 * source) + 1], y, 1e-4);
            }
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void RequiredMargin_AnyDraw_KeepsEverySampleInsideTheStoredCrop()
    {
        Cases.Sample((options, seed, width, height) =>
        {
            var augmenter = new FaceAugmenter(options, LandmarkSchema.Mtfl5);
            AugmentationParameters p = augmenter.Draw(new Random(seed));
            int margin = augmenter.RequiredMargin(width, height);
            Affine2D back = p.Geometry(width, height).Invert();

            // The corners of the output grid bound every sample, since the map is affine. Margins are capped at the
            // larger crop side, so only ranges that fit under the cap must be covered.
            foreach ((double j, double i) in new[] { (0.0, 0.0), (width - 1.0, 0.0), (0.0, height - 1.0),
                (width - 1.0, height - 1.0) })
            {
                (double u, double v) = back.Apply((j + 0.5) / width, (i + 0.5) / height);
                double x = (u * width) - 0.5 + margin, y = (v * height) - 0.5 + margin;
                if (margin < Math.Max(width, height))
                {
                    Assert.InRange(x, -1e-9, width + (2 * margin) - 1 + 1e-9);
                    Assert.InRange(y, -1e-9, height + (2 * margin) - 1 + 1e-9);
                }
            }
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Geometry_FlipOnly_MirrorsAboutTheCropCentre()
    {
        AugmentationParameters flip = AugmentationParameters.Identity with { Flip = true };

        (double x, double y) = flip.Geometry(40, 30).Apply(0.2, 0.7);

        Assert.Equal(0.8, x, 1e-12);
        Assert.Equal(0.7, y, 1e-12);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(4, 0)]
    [InlineData(-1, -1)]
    public void TransformAttributes_Flip_MirrorsThePoseOnly(long pose, long expected)
    {
        long[] labels = { 1, 0, 1, pose };

        FaceAugmenter.TransformAttributes(AugmentationParameters.Identity with { Flip = true }, labels);

        Assert.Equal(new long[] { 1, 0, 1, expected }, labels);
    }

    [Fact]
    public void Constructor_RangeOutOfBounds_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new FaceAugmenter(new AugmentationOptions { MaxScaleChange = 0.95 }, LandmarkSchema.Mtfl5));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new FaceAugmenter(new AugmentationOptions { FlipProbability = -0.1 }, LandmarkSchema.Mtfl5));
    }
}
