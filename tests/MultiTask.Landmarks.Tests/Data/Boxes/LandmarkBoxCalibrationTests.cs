using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MultiTask.Landmarks.Tests.Data.Boxes;

public sealed class LandmarkBoxCalibrationTests(ITestOutputHelper output)
{
    private static readonly MemoryImageSource Blank = MemoryImageSource.FromGrey(new byte[4], 2, 2, "blank");

    [Fact]
    public void Fit_BoxesMadeByARule_RecoversTheRule()
    {
        var truth = new LandmarkBoxRule { CenterOffsetX = 0.05f, YawShift = -0.4f, CenterOffsetY = -0.3f, Scale = 3f };
        var random = new Random(7);
        var samples = Enumerable.Range(0, 200).Select(_ =>
        {
            Landmark[] points = RandomFace(random);
            return new FaceSample(Blank, points, truth.Derive(points, default));
        }).ToList();

        LandmarkBoxRule fitted = LandmarkBoxCalibration.Fit(samples);
        BoxRuleSpread spread = LandmarkBoxCalibration.Evaluate(fitted, samples);

        Assert.Equal(truth.CenterOffsetX, fitted.CenterOffsetX, 1e-4f);
        Assert.Equal(truth.YawShift, fitted.YawShift, 1e-4f);
        Assert.Equal(truth.CenterOffsetY, fitted.CenterOffsetY, 1e-4f);
        Assert.Equal(truth.Scale, fitted.Scale, 1e-4f);
        Assert.Equal(0, spread.StdOffsetX, 1e-5);
        Assert.Equal(1, spread.MeanScaleRatio, 1e-5);
        Assert.Equal(1, spread.MeanIntersectionOverUnion, 1e-4);
    }

    [Fact]
    public void Derive_LeftAndRightLabelsSwapped_GivesTheSameBox()
    {
        Landmark[] points = RandomFace(new Random(3));
        Landmark[] swapped = { points[1], points[0], points[2], points[4], points[3] };

        FaceBox box = LandmarkBoxRule.Default.Derive(points, default);
        FaceBox other = LandmarkBoxRule.Default.Derive(swapped, default);

        // Equal up to float summation order.
        Assert.Equal(box.X, other.X, 1e-3f);
        Assert.Equal(box.Y, other.Y, 1e-3f);
        Assert.Equal(box.Width, other.Width, 1e-3f);
        Assert.Equal(box.Height, other.Height, 1e-3f);
    }

    [Fact]
    public void Derive_MirroredImage_MirrorsTheBoxUpToTheDetectorsConstantOffset()
    {
        Landmark[] points = RandomFace(new Random(3));
        Landmark[] mirrored = points.Select(p => new Landmark(500 - p.X, p.Y)).ToArray();
        LandmarkBoxRule rule = LandmarkBoxRule.Default;

        FaceBox box = rule.Derive(points, default);
        FaceBox mirror = rule.Derive(mirrored, default);

        // The yaw term mirrors with the nose; only the constant offset (the detector's own sideways bias) does not.
        float spread = box.Width / rule.Scale;
        Assert.Equal(500 - box.CenterX + (2 * rule.CenterOffsetX * spread), mirror.CenterX, 1e-3f);
        Assert.Equal(box.CenterY, mirror.CenterY, 1e-3f);
        Assert.Equal(box.Width, mirror.Width, 1e-3f);
    }

    [Fact]
    public void Select_EachPolicy_TakesTheBoxFromItsSource()
    {
        Landmark[] points = RandomFace(new Random(5));
        var listed = new FaceBox(1, 2, 30, 40);
        var sample = new FaceSample(Blank, points, listed);

        Assert.Equal(listed, FaceBoxes.Select(sample, BoxPolicy.Listed, 250, 200));
        Assert.Equal(new FaceBox(0, 0, 250, 200), FaceBoxes.Select(sample, BoxPolicy.WholeImage, 250, 200));
        Assert.Equal(LandmarkBoxRule.Default.Derive(points, default),
            FaceBoxes.Select(sample, BoxPolicy.FromLandmarks, 250, 200));
    }

    [Fact]
    public void Select_ListedPolicyWithoutBox_ThrowsNamingTheOrigin()
    {
        var sample = new FaceSample(Blank, RandomFace(new Random(1)), origin: new SampleOrigin("training.txt", 12));

        var error = Assert.Throws<InvalidDataException>(() => FaceBoxes.Select(sample, BoxPolicy.Listed, 10, 10));

        Assert.StartsWith("training.txt:12: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_MissingNose_ThrowsNamingTheOrigin()
    {
        Landmark[] points = RandomFace(new Random(2));
        points[2] = Landmark.Missing;

        var error = Assert.Throws<InvalidDataException>(
            () => LandmarkBoxRule.Default.Derive(points, new SampleOrigin("a.txt", 3)));

        Assert.StartsWith("a.txt:3: ", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Category", "RealData")]
    public void Default_RefittedOnCnnFacePointTraining_MatchesTheShippedConstants()
    {
        string root = TestPaths.RequireMtfl();
        IReadOnlyList<FaceSample> samples = CnnFacePointReader.Read(Path.Combine(root, "trainImageList.txt")).Records;

        LandmarkBoxRule fitted = LandmarkBoxCalibration.Fit(samples);
        BoxRuleSpread shipped = LandmarkBoxCalibration.Evaluate(LandmarkBoxRule.Default, samples);
        BoxRuleSpread test = LandmarkBoxCalibration.Evaluate(
            LandmarkBoxRule.Default, CnnFacePointReader.Read(Path.Combine(root, "testImageList.txt")).Records);

        output.WriteLine($"fitted: {fitted}");
        output.WriteLine($"shipped on training: {shipped}");
        output.WriteLine($"shipped on test: {test}");
        Assert.Equal(10_000, samples.Count);
        Assert.Equal(fitted.CenterOffsetX, LandmarkBoxRule.Default.CenterOffsetX, 1e-3f);
        Assert.Equal(fitted.YawShift, LandmarkBoxRule.Default.YawShift, 1e-3f);
        Assert.Equal(fitted.CenterOffsetY, LandmarkBoxRule.Default.CenterOffsetY, 1e-3f);
        Assert.Equal(fitted.Scale, LandmarkBoxRule.Default.Scale, 1e-3f);
        Assert.Equal(0, shipped.MeanOffsetX, 1e-3);
        Assert.Equal(0, shipped.MeanOffsetY, 1e-3);
        Assert.Equal(1, shipped.MeanScaleRatio, 0.01);
    }

    // A face at a random place, size, roll and yaw (the nose swung sideways), in image pixels.
    private static Landmark[] RandomFace(Random random)
    {
        double cx = 100 + (200 * random.NextDouble()), cy = 100 + (200 * random.NextDouble());
        double size = 20 + (60 * random.NextDouble()), roll = (random.NextDouble() - 0.5) * 0.6;
        double yaw = (random.NextDouble() - 0.5) * 0.8;
        (double X, double Y)[] face = { (-0.5, -0.4), (0.5, -0.4), (yaw, 0.1), (-0.4, 0.6), (0.4, 0.6) };
        return face.Select(p => new Landmark(
            (float)(cx + (size * ((Math.Cos(roll) * p.X) - (Math.Sin(roll) * p.Y)))),
            (float)(cy + (size * ((Math.Sin(roll) * p.X) + (Math.Cos(roll) * p.Y)))))).ToArray();
    }
}
