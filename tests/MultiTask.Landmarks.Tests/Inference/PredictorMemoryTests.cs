using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace MultiTask.Landmarks.Tests.Inference;

[Collection(TorchCollection.Name)]
public sealed class PredictorMemoryTests(ITestOutputHelper output)
{
    private const int Rounds = 10, CallsPerRound = 10_000, Threads = 2;

    [Fact]
    public void Predict_HundredThousandCalls_KeepsResidentMemoryFlat()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        var images = PredictorFixture.Faces.Select(f => (Image: f.Image.Load(), f.Box)).ToArray();
        var resident = new long[Rounds];
        long calls = 0;

        // Two long-lived threads (as in a service's pool) make ten rounds of 10,000 single-image calls; the first two
        // rounds are the warm-up (the allocators settle over them). Memory is measured between rounds, while both
        // threads wait.
        int round = 0;
        using var between = new Barrier(Threads, _ => resident[round++] = ResidentMemory.Measure());
        Exception[] errors = LandmarkPredictorTests.RunThreads(Threads, t =>
        {
            for (int r = 0; r < Rounds; r++)
            {
                for (int i = t; i < CallsPerRound; i += Threads)
                {
                    var (image, box) = images[i % images.Length];
                    if (predictor.Predict(image, box).Landmarks.Count == 5)
                    {
                        Interlocked.Increment(ref calls);
                    }
                }

                between.SignalAndWait();
            }
        });

        Assert.Empty(errors);
        output.WriteLine(string.Join(", ", resident.Select(ResidentMemory.Megabytes)));
        long warm = resident[1];
        long peak = resident.Skip(2).Max();
        output.WriteLine($"peak after warm-up / after warm-up = {(double)peak / warm:F3}");
        Assert.Equal(Rounds * CallsPerRound, calls);
        Assert.True(peak <= 1.05 * warm,
            $"resident memory rose from {ResidentMemory.Megabytes(warm)} to {ResidentMemory.Megabytes(peak)}");
        foreach ((Image<Rgb24> image, _) in images)
        {
            image.Dispose();
        }
    }
}
