using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Loading;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Inference;

[Collection(TorchCollection.Name)]
public sealed class LandmarkPredictorTests
{
    [Fact]
    public void Predict_PathStreamAndImage_GiveIdenticalPredictions()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        FaceSample face = PredictorFixture.Faces[0];
        using Image<Rgb24> image = face.Image.Load();
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "face.png");
        image.SaveAsPng(path);

        FacePrediction fromImage = predictor.Predict(image, face.Box);
        FacePrediction fromPath = predictor.Predict(path, face.Box);
        using FileStream stream = File.OpenRead(path);
        FacePrediction fromStream = predictor.Predict(stream, face.Box);

        AssertIdentical(fromImage, fromPath);
        AssertIdentical(fromImage, fromStream);
        Assert.Equal(5, fromImage.Landmarks.Count);
        Assert.Equal(
            new[] { "gender", "glasses", "pose", "smile" }, fromImage.Attributes.Keys.Order(StringComparer.Ordinal));
        foreach (float[] probabilities in fromImage.Attributes.Values)
        {
            Assert.Equal(1.0, probabilities.Sum(), 5);
            Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
        }
    }

    [Fact]
    public void Predict_SameFaceAsTheTrainingLoaderCrops_GivesTheNetworksPointsMappedToImagePixels()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        var faces = PredictorFixture.Faces.Take(8).ToArray();
        FaceBatchLoader loader = FaceBatchLoader.Create(faces, LandmarkSchema.Mtfl5, new FaceBatchLoaderOptions
        {
            Crop = predictor.Model.Crop,
            Augmentation = null,
            BatchSize = faces.Length,
            DegreeOfParallelism = 1,
        });

        float[] network;
        using (NewDisposeScope())
        using (no_grad())
        {
            using FaceBatch batch = loader.GetEvaluationBatches().Single();
            network = predictor.Model.Network.forward(batch.Images)["landmarks"].data<float>().ToArray();
        }

        for (int i = 0; i < faces.Length; i++)
        {
            using Image<Rgb24> image = faces[i].Image.Load();
            FacePrediction prediction = predictor.Predict(image, faces[i].Box);
            for (int p = 0; p < 5; p++)
            {
                int at = (i * 10) + (2 * p);
                (double x, double y) = loader.GetTransform(i).ToImage(network[at], network[at + 1]);
                Assert.Equal(x, prediction.Landmarks[p].X, 1e-3);
                Assert.Equal(y, prediction.Landmarks[p].Y, 1e-3);
            }
        }
    }

    [Fact]
    public void Predict_ImageShiftedWithItsBox_ShiftsTheLandmarksByTheSamePixels()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        FaceSample face = PredictorFixture.Faces[1];
        using Image<Rgb24> image = face.Image.Load();
        using var shifted = new Image<Rgb24>(image.Width + 20, image.Height + 10, new Rgb24(90, 90, 90));
        shifted.Mutate(c => c.DrawImage(image, new Point(13, 7), 1f));
        FaceBox box = face.Box!.Value;

        FacePrediction original = predictor.Predict(image, box);
        FacePrediction moved = predictor.Predict(shifted, new FaceBox(box.X + 13, box.Y + 7, box.Width, box.Height));

        for (int p = 0; p < 5; p++)
        {
            Assert.Equal(original.Landmarks[p].X + 13, moved.Landmarks[p].X, 1e-3);
            Assert.Equal(original.Landmarks[p].Y + 7, moved.Landmarks[p].Y, 1e-3);
        }
    }

    [Fact]
    public void PredictBatch_SeveralFaces_MatchesOneCallPerFace()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        var images = PredictorFixture.Faces.Take(6).Select(f => (f.Image.Load(), f.Box)).ToArray();

        IReadOnlyList<FacePrediction> batch = predictor.PredictBatch(images);

        Assert.Equal(6, batch.Count);
        for (int i = 0; i < images.Length; i++)
        {
            FacePrediction single = predictor.Predict(images[i].Item1, images[i].Box);
            for (int p = 0; p < 5; p++)
            {
                Assert.Equal(single.Landmarks[p].X, batch[i].Landmarks[p].X, 1e-4);
                Assert.Equal(single.Landmarks[p].Y, batch[i].Landmarks[p].Y, 1e-4);
            }

            foreach ((string task, float[] probabilities) in single.Attributes)
            {
                Assert.Equal(probabilities, batch[i].Attributes[task], (a, b) => Math.Abs(a - b) < 1e-5);
            }

            images[i].Item1.Dispose();
        }
    }

    [Fact]
    public void Predict_EightThreadsTenThousandCalls_GiveExactlyTheSequentialAnswers()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        var images = PredictorFixture.Faces.Select(f => (Image: f.Image.Load(), f.Box)).ToArray();
        FacePrediction[] sequential = images.Select(f => predictor.Predict(f.Image, f.Box)).ToArray();
        const int Threads = 8, CallsPerThread = 1250;
        var mismatches = new int[Threads];

        Exception[] errors = RunThreads(Threads, t =>
        {
            for (int i = 0; i < CallsPerThread; i++)
            {
                int face = ((t * 7) + i) % images.Length;
                FacePrediction answer = predictor.Predict(images[face].Image, images[face].Box);
                mismatches[t] += Identical(sequential[face], answer) ? 0 : 1;
            }
        });

        Assert.Empty(errors);
        Assert.Equal(new int[Threads], mismatches);
        foreach ((Image<Rgb24> image, _) in images)
        {
            image.Dispose();
        }
    }

    [Fact]
    public void Predict_BoxWithoutArea_ThrowsNamingTheBox()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        using Image<Rgb24> image = PredictorFixture.Faces[0].Image.Load();

        var error = Assert.Throws<ArgumentException>(() => predictor.Predict(image, new FaceBox(3, 4, 0, 10)));
        predictor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => predictor.Predict(image));

        Assert.Equal("faces", error.ParamName);
        Assert.Contains("no area", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_NoBoxForAListedBoxModel_ThrowsNamingThePolicy()
    {
        using LandmarkPredictor predictor = PredictorFixture.Load();
        using Image<Rgb24> image = PredictorFixture.Faces[0].Image.Load();

        var error = Assert.Throws<ArgumentException>(() => predictor.Predict(image));

        Assert.Equal(MultiTask.Landmarks.Data.Boxes.BoxPolicy.Listed, predictor.Model.BoxPolicy);
        Assert.Contains("Listed face boxes", error.Message, StringComparison.Ordinal);
    }

    internal static Exception[] RunThreads(int count, Action<int> work)
    {
        var errors = new List<Exception>();
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                work(t);
            }
            catch (Exception exception)
            {
                lock (errors)
                {
                    errors.Add(exception);
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return errors.ToArray();
    }

    private static bool Identical(FacePrediction a, FacePrediction b) =>
        a.Landmarks.SequenceEqual(b.Landmarks)
        && a.Attributes.All(pair => pair.Value.AsSpan().SequenceEqual(b.Attributes[pair.Key]));

    private static void AssertIdentical(FacePrediction expected, FacePrediction actual)
    {
        Assert.Equal(expected.Landmarks, actual.Landmarks);
        Assert.Equal(expected.Box, actual.Box);
        foreach ((string task, float[] probabilities) in expected.Attributes)
        {
            Assert.Equal(probabilities, actual.Attributes[task]);
        }
    }
}
