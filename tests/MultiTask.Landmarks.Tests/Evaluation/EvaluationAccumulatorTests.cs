using System.Text.Json;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Evaluation;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Tests.Evaluation;

public sealed class EvaluationAccumulatorTests
{
    private const double Tolerance = 1e-12;

    // Face A: eyes 16 px apart; the left eye is 1 px off and the nose 3 px off: errors 1, 0, 3, 0, 0.
    private static readonly Landmark[] TruthA = Points((0, 0), (16, 0), (8, 6), (3, 12), (13, 12));
    private static readonly Landmark[] PredictedA = Points((1, 0), (16, 0), (8, 9), (3, 12), (13, 12));
    private static readonly FaceBox BoxA = new(-5, -5, 25, 25);

    // Face B: eyes 20 px apart; every point is off by (3, 4), an error of 5.
    private static readonly Landmark[] TruthB = Points((0, 0), (20, 0), (10, 8), (4, 15), (16, 15));
    private static readonly Landmark[] PredictedB = TruthB.Select(p => new Landmark(p.X + 3, p.Y + 4)).ToArray();
    private static readonly FaceBox BoxB = new(-15, -10, 50, 50);

    [Fact]
    public void GetResult_TwoFacesWithBoxes_MatchesHandComputedMetrics()
    {
        var accumulator = new EvaluationAccumulator(
            LandmarkSchema.Mtfl5, new LandmarkEvaluationOptions { CedPointCount = 11 });

        accumulator.AddFace(PredictedA, TruthA, BoxA);
        accumulator.AddFace(PredictedB, TruthB, BoxB);
        EvaluationResult result = accumulator.GetResult();

        // Face NME: A 0.8 / 16 = 0.05 and 0.8 / 25 = 0.032; B 5 / 20 = 0.25 and 5 / 50 = 0.1.
        Assert.Equal(2, result.Faces);
        Assert.Equal(2, result.FacesWithBox);
        Assert.Equal(0.15, result.NmeInterOcular!.Value, Tolerance);
        Assert.Equal(0.066, result.NmeBoxWidth!.Value, Tolerance);
        Assert.Equal(0.5, result.FailureRateInterOcular!.Value, Tolerance);
        Assert.Equal(0.5, result.FailureRateBoxWidth!.Value, Tolerance);

        // Squared coordinate errors: A 1 + 9, B 5 x (9 + 16); 20 coordinates.
        Assert.Equal(Math.Sqrt(135.0 / 20), result.RmsePixels!.Value, Tolerance);
    }

    [Fact]
    public void GetResult_TwoFacesWithBoxes_MatchesHandComputedPerPointMetrics()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5);

        accumulator.AddFace(PredictedA, TruthA, BoxA);
        accumulator.AddFace(PredictedB, TruthB, BoxB);
        IReadOnlyList<PointMetrics> perPoint = accumulator.GetResult().PerPoint;

        double[] interOcular = { (0.0625 + 0.25) / 2, 0.125, (0.1875 + 0.25) / 2, 0.125, 0.125 };
        double[] boxWidth = { (0.04 + 0.1) / 2, 0.05, (0.12 + 0.1) / 2, 0.05, 0.05 };
        double[] failures = { 0.5, 0.5, 1.0, 0.5, 0.5 };
        Assert.Equal(5, perPoint.Count);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(k, perPoint[k].Index);
            Assert.Equal(LandmarkSchema.Mtfl5.PointNames[k], perPoint[k].Name);
            Assert.Equal(2, perPoint[k].Faces);
            Assert.Equal(interOcular[k], perPoint[k].NmeInterOcular!.Value, Tolerance);
            Assert.Equal(boxWidth[k], perPoint[k].NmeBoxWidth!.Value, Tolerance);
            Assert.Equal(failures[k], perPoint[k].FailureRateInterOcular!.Value, Tolerance);
            Assert.Equal(failures[k], perPoint[k].FailureRateBoxWidth!.Value, Tolerance);
        }
    }

    [Fact]
    public void GetResult_TwoFaces_CedAndAucMatchHandComputedValues()
    {
        var accumulator = new EvaluationAccumulator(
            LandmarkSchema.Mtfl5, new LandmarkEvaluationOptions { CedPointCount = 11 });

        accumulator.AddFace(PredictedA, TruthA, BoxA);
        accumulator.AddFace(PredictedB, TruthB, BoxB);
        EvaluationResult result = accumulator.GetResult();

        // Inter-ocular errors 0.05 and 0.25 up to 0.1: A keeps half the range, B none.
        CumulativeErrorDistribution ced = result.CedInterOcular!;
        Assert.Equal(11, ced.Points.Count);
        Assert.Equal(0.0, ced.Points[0].Share, Tolerance);
        Assert.Equal(0.04, ced.Points[4].Threshold, Tolerance);
        Assert.Equal(0.0, ced.Points[4].Share, Tolerance);
        Assert.Equal(0.5, ced.Points[6].Share, Tolerance);
        Assert.Equal(0.1, ced.Points[10].Threshold, Tolerance);
        Assert.Equal(0.5, ced.Points[10].Share, Tolerance);
        Assert.Equal(0.25, result.Auc!.Value, Tolerance);

        // Box-width errors 0.032 and 0.1 up to 0.05: (1 - 0.64 + 0) / 2.
        Assert.Equal(0.18, result.CedBoxWidth!.Auc, Tolerance);
    }

    [Fact]
    public void AddFace_MissingTruePoint_IsLeftOut()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5);
        Landmark[] truth = TruthA.ToArray();
        truth[2] = Landmark.Missing;

        accumulator.AddFace(PredictedA, truth);
        EvaluationResult result = accumulator.GetResult();

        // Errors 1, 0, 0, 0 over four points and an inter-ocular distance of 16.
        Assert.Equal(0.25 / 16, result.NmeInterOcular!.Value, Tolerance);
        Assert.Equal(Math.Sqrt(1.0 / 8), result.RmsePixels!.Value, Tolerance);
        Assert.Equal(0, result.PerPoint[2].Faces);
        Assert.Null(result.PerPoint[2].NmeInterOcular);
        Assert.Equal(1, result.PerPoint[0].Faces);
    }

    [Fact]
    public void AddFace_NoAnnotatedPoint_DoesNotCountTheFace()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5);

        accumulator.AddFace(PredictedA, Enumerable.Repeat(Landmark.Missing, 5).ToArray());
        EvaluationResult result = accumulator.GetResult();

        Assert.Equal(1, accumulator.FacesAdded);
        Assert.Equal(0, result.Faces);
        Assert.Null(result.NmeInterOcular);
        Assert.Null(result.RmsePixels);
        Assert.Null(result.CedInterOcular);
    }

    [Fact]
    public void GetResult_NoBoxes_BoxMetricsAreNull()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5);

        accumulator.AddFace(PredictedA, TruthA);
        EvaluationResult result = accumulator.GetResult();

        Assert.Equal(0.05, result.NmeInterOcular!.Value, Tolerance);
        Assert.Equal(0, result.FacesWithBox);
        Assert.Null(result.NmeBoxWidth);
        Assert.Null(result.FailureRateBoxWidth);
        Assert.Null(result.CedBoxWidth);
        Assert.All(result.PerPoint, p => Assert.Null(p.NmeBoxWidth));
        Assert.All(result.PerPoint, p => Assert.Null(p.FailureRateBoxWidth));
    }

    [Fact]
    public void AddFace_CoincidentEyes_ThrowsNamingTheFaceAndTheOption()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5);
        Landmark[] truth = TruthA.ToArray();
        truth[1] = truth[0];
        accumulator.AddFace(PredictedB, TruthB);

        var error = Assert.Throws<ArgumentException>(() => accumulator.AddFace(PredictedA, truth));

        Assert.Contains("Face #1", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            nameof(LandmarkEvaluationOptions.SkipDegenerateInterOcular), error.Message, StringComparison.Ordinal);
        Assert.Equal(1, accumulator.GetResult().Faces);
        Assert.Equal(0.25, accumulator.GetResult().NmeInterOcular!.Value, Tolerance);
    }

    [Fact]
    public void AddFace_MissingEyeWithSkip_LeavesTheFaceOutOfInterOcularMetricsOnly()
    {
        var accumulator = new EvaluationAccumulator(
            LandmarkSchema.Mtfl5, new LandmarkEvaluationOptions { SkipDegenerateInterOcular = true });
        Landmark[] truth = TruthA.ToArray();
        truth[0] = Landmark.Missing;

        accumulator.AddFace(PredictedA, truth, BoxA);
        accumulator.AddFace(PredictedB, TruthB, BoxB);
        EvaluationResult result = accumulator.GetResult();

        // Face A keeps only the nose error 3 over four points in the box-width metrics.
        Assert.Equal(2, result.Faces);
        Assert.Equal(1, result.FacesSkippedInterOcular);
        Assert.Equal(0.25, result.NmeInterOcular!.Value, Tolerance);
        Assert.Equal(((0.75 / 25) + 0.1) / 2, result.NmeBoxWidth!.Value, Tolerance);
    }

    [Fact]
    public void AddFaces_Batch_MatchesFaceByFace()
    {
        var single = new EvaluationAccumulator(LandmarkSchema.Mtfl5);
        var batched = new EvaluationAccumulator(LandmarkSchema.Mtfl5);
        Landmark[] truthA = TruthA.ToArray();
        truthA[3] = Landmark.Missing;
        single.AddFace(PredictedA, truthA, BoxA);
        single.AddFace(PredictedB, TruthB);

        float[] predicted = Flatten(PredictedA.Concat(PredictedB));
        float[] truth = Flatten(truthA.Select(p => p.IsMissing ? new Landmark(0, 0) : p).Concat(TruthB));
        float[] mask = { 1, 1, 1, 0, 1, 1, 1, 1, 1, 1 };
        batched.AddFaces(predicted, truth, mask, new FaceBox?[] { BoxA, null });
        EvaluationResult expected = single.GetResult();
        EvaluationResult actual = batched.GetResult();

        Assert.Equal(2, actual.Faces);
        Assert.Equal(1, actual.FacesWithBox);
        Assert.Equal(expected.NmeInterOcular!.Value, actual.NmeInterOcular!.Value, Tolerance);
        Assert.Equal(expected.NmeBoxWidth!.Value, actual.NmeBoxWidth!.Value, Tolerance);
        Assert.Equal(expected.RmsePixels!.Value, actual.RmsePixels!.Value, Tolerance);
        Assert.Equal(
            expected.PerPoint.Select(p => p.NmeInterOcular),
            actual.PerPoint.Select(p => p.NmeInterOcular));
    }

    [Fact]
    public void AddFace_UnpredictedAnnotatedPoint_Throws()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5);
        Landmark[] predicted = PredictedA.ToArray();
        predicted[4] = Landmark.Missing;

        var error = Assert.Throws<ArgumentException>(() => accumulator.AddFace(predicted, TruthA));

        Assert.Contains("mouth_right", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_UnknownLabels_AreIgnored()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5, attributes: TaskSpec.Mtfl);

        accumulator.AddAttributes("gender", new long[] { 0, 1, 1, 0, 1 }, new long[] { 0, 1, -1, 1, -1 });
        accumulator.AddAttribute("pose", 2, 2);
        accumulator.AddAttribute("pose", 4, 3);
        accumulator.AddAttribute("pose", 0, FaceAttributes.Unknown);
        EvaluationResult result = accumulator.GetResult();

        AttributeMetrics gender = result.Attributes["gender"];
        Assert.Equal(3, gender.Faces);
        Assert.Equal(2.0 / 3, gender.Accuracy!.Value, Tolerance);
        Assert.Equal(new long[] { 1, 0 }, gender.Confusion[0]);
        Assert.Equal(new long[] { 1, 1 }, gender.Confusion[1]);
        AttributeMetrics pose = result.Attributes["pose"];
        Assert.Equal(2, pose.Faces);
        Assert.Equal(0.5, pose.Accuracy!.Value, Tolerance);
        Assert.Equal(1, pose.Confusion[3][4]);
        Assert.Null(result.Attributes["smile"].Accuracy);
        Assert.Equal(new[] { "gender", "smile", "glasses", "pose" }, result.Attributes.Keys);
    }

    [Fact]
    public void AddAttribute_PredictionOutOfRange_Throws()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5, attributes: TaskSpec.Mtfl);

        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.AddAttribute("smile", 2, 0));
        Assert.Throws<ArgumentException>(() => accumulator.AddAttribute("age", 0, 0));
    }

    [Fact]
    public void Options_Ibug68_UseTheMeanOfEachEyeContour()
    {
        LandmarkEvaluationOptions options = LandmarkEvaluationOptions.ForSchema(LandmarkSchema.Ibug68);
        var truth = Enumerable.Range(0, 68).Select(i => new Landmark(100 + i, 200)).ToArray();

        // Eye contours: right eye 36..41 (centre x 138.5), left eye 42..47 (centre x 144.5): 6 px apart.
        var predicted = truth.Select(p => new Landmark(p.X + 0.6f, p.Y)).ToArray();
        EvaluationResult result = Evaluator.EvaluateLandmarks(
            LandmarkSchema.Ibug68, new[] { predicted }, new[] { truth }, options: options);

        Assert.Equal(0.6f / 6.0, result.NmeInterOcular!.Value, 1e-6);
    }

    [Fact]
    public void Options_EyePointOutsideSchema_AreRejected()
    {
        var options = new LandmarkEvaluationOptions { LeftEyePoints = new[] { 5 } };

        Assert.Throws<ArgumentException>(() => new EvaluationAccumulator(LandmarkSchema.Mtfl5, options));
    }

    [Fact]
    public void GetResult_WithoutBoxes_SerializesToJsonWithNullBoxMetrics()
    {
        var accumulator = new EvaluationAccumulator(LandmarkSchema.Mtfl5, attributes: TaskSpec.Mtfl);
        accumulator.AddFace(PredictedA, TruthA);
        accumulator.AddAttribute("gender", 1, 1);

        string json = JsonSerializer.Serialize(
            accumulator.GetResult(), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        using JsonDocument document = JsonDocument.Parse(json);

        JsonElement root = document.RootElement;
        Assert.Equal(1, root.GetProperty("faces").GetInt32());
        Assert.Equal(0.05, root.GetProperty("nmeInterOcular").GetDouble(), Tolerance);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nmeBoxWidth").ValueKind);
        Assert.Equal(5, root.GetProperty("perPoint").GetArrayLength());
        Assert.Equal(0.5, root.GetProperty("auc").GetDouble(), Tolerance);
        JsonElement attributes = root.GetProperty("attributes");
        Assert.Equal(1.0, attributes.GetProperty("gender").GetProperty("accuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, attributes.GetProperty("smile").GetProperty("accuracy").ValueKind);
    }

    private static Landmark[] Points(params (float X, float Y)[] points) =>
        points.Select(p => new Landmark(p.X, p.Y)).ToArray();

    private static float[] Flatten(IEnumerable<Landmark> points) =>
        points.SelectMany(p => new[] { p.X, p.Y }).ToArray();
}
