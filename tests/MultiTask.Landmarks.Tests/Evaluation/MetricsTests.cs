using MultiTask.Landmarks.Evaluation;

namespace MultiTask.Landmarks.Tests.Evaluation;

public sealed class MetricsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void FromErrors_ThreeFaces_SharesAndExactArea()
    {
        CumulativeErrorDistribution ced = CumulativeErrorDistribution.FromErrors(new[] { 0.02, 0.04, 0.2 }, 0.1, 3);

        Assert.Equal(new[] { 0.0, 0.05, 0.1 }, ced.Points.Select(p => p.Threshold));
        Assert.Equal(new[] { 0.0, 2.0 / 3, 2.0 / 3 }, ced.Points.Select(p => p.Share));

        // (0.8 + 0.6 + 0) / 3: each face's stretch of the range above its error.
        Assert.Equal(1.4 / 3, ced.Auc, Tolerance);
    }

    [Fact]
    public void FromErrors_AllExact_AreaIsOne()
    {
        CumulativeErrorDistribution ced = CumulativeErrorDistribution.FromErrors(new[] { 0.0, 0.0 }, 0.08, 5);

        Assert.Equal(1.0, ced.Auc, Tolerance);
        Assert.All(ced.Points, p => Assert.Equal(1.0, p.Share));
    }

    [Fact]
    public void DeltaM_LandmarkErrorAndAccuracy_SignsEachTaskByItsDirection()
    {
        MultiTaskDelta delta = MultiTaskDelta.Compute(new[]
        {
            new TaskComparison("landmarks", MultiTask: 0.08, SingleTask: 0.10, LowerIsBetter: true),
            new TaskComparison("gender", MultiTask: 0.90, SingleTask: 0.92, LowerIsBetter: false),
        });

        // +20 % for the error that fell, -2/0.92 % for the accuracy that fell.
        Assert.Equal(20.0, delta.PerTaskPercent[0], 1e-9);
        Assert.Equal(-200.0 / 92, delta.PerTaskPercent[1], 1e-9);
        Assert.Equal((20.0 - (200.0 / 92)) / 2, delta.Percent, 1e-9);
    }

    [Fact]
    public void DeltaM_ZeroBaseline_Throws()
    {
        var error = Assert.Throws<ArgumentException>(
            () => MultiTaskDelta.Compute(new[] { new TaskComparison("smile", 0.5, 0, LowerIsBetter: false) }));

        Assert.Contains("smile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateAttribute_UnknownLabels_AreIgnored()
    {
        AttributeMetrics metrics = Evaluator.EvaluateAttribute(
            "glasses", 2, new long[] { 1, 1, 0, 0 }, new long[] { 1, -1, 1, -1 });

        Assert.Equal(2, metrics.Faces);
        Assert.Equal(0.5, metrics.Accuracy!.Value, Tolerance);
        Assert.Equal(1, metrics.Confusion[1][0]);
        Assert.Equal(1, metrics.Confusion[1][1]);
    }
}
