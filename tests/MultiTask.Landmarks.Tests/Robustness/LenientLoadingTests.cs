using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Tests.Data;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>The decode pass over the broken image files: strict stops at the first with its file named, lenient
/// keeps the good faces and lists every broken one.</summary>
[Collection(TorchCollection.Name)]
public sealed class LenientLoadingTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Create_LenientOverBrokenFiles_KeepsTheGoodFaceAndSkipsEachBrokenOneNamingIt()
    {
        List<FaceSample> samples = BrokenSamples(out string[] brokenPaths);

        FaceBatchLoader loader = Bounded.Run(() => FaceBatchLoader.Create(
            samples, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions { Strict = false, DegreeOfParallelism = 2 }));

        Assert.Equal(1, loader.Count);
        Assert.Equal("good.jpg", Path.GetFileName(loader.Samples[0].Image.Description));
        Assert.Equal(brokenPaths.Length, loader.Skipped.Count);
        Assert.Equal(Enumerable.Range(1, brokenPaths.Length), loader.Skipped.Select(skipped => skipped.Index));
        Assert.All(loader.Skipped.Zip(brokenPaths),
            pair => Assert.Contains(pair.Second, pair.First.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_StrictOverBrokenFiles_ThrowsNamingTheFirstBrokenFile()
    {
        List<FaceSample> samples = BrokenSamples(out string[] brokenPaths);

        var error = Bounded.Throws<InvalidDataException>(() => FaceBatchLoader.Create(
            samples, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions { DegreeOfParallelism = 2 }));

        Assert.Contains(brokenPaths[0], error.Message, StringComparison.Ordinal);
    }

    private List<FaceSample> BrokenSamples(out string[] brokenPaths)
    {
        var landmarks = new[]
        {
            new Landmark(20, 22), new Landmark(40, 22), new Landmark(30, 32), new Landmark(22, 44),
            new Landmark(38, 44),
        };
        var box = new FaceBox(10, 10, 40, 40);
        var samples = new List<FaceSample>
        {
            new(new FileImageSource(files.WriteImage("good.jpg", 64, 64)), landmarks, box, origin: new("list", 1)),
        };
        brokenPaths = BrokenImageFiles.All.Select(file => BrokenImageFiles.Write(files, file.Name))
            .Append(Path.Combine(files.Root, "absent.jpg"))
            .ToArray();
        samples.AddRange(brokenPaths.Select((path, i) =>
            new FaceSample(new FileImageSource(path), landmarks, box, origin: new SampleOrigin("list", i + 2))));
        return samples;
    }
}
