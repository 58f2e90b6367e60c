using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Tests.Training;

public sealed class TaskWiseEarlyStoppingTests
{
    [Fact]
    public void Score_ValidationBelowBestTraining_IsNotPositive()
    {
        double score = TaskWiseEarlyStopping.Score(
            new[] { 1.0, 0.8, 0.7, 0.65, 0.62 }, validationError: 0.6, lossWeight: 1, window: 5);

        Assert.True(score <= 0);
    }

    [Fact]
    public void Score_MatchesTheFormulaOnAHandComputedCase()
    {
        // Window 1.0, 0.5, 0.3, 0.25, 0.22: median 0.3, sum 2.27, tendency 1.5 / 0.77; gap (0.33 - 0.22) / 0.22 = 0.5.
        double score = TaskWiseEarlyStopping.Score(new[] { 1.0, 0.5, 0.3, 0.25, 0.22 }, 0.33, 1, 5);

        Assert.Equal(1.5 / 0.77 * 0.5, score, 9);
    }

    [Fact]
    public void Update_StopsAFlatTaskWhoseValidationErrorRose_AndKeepsAFallingOne()
    {
        var stopping = new TaskWiseEarlyStopping(window: 5, threshold: 0.5);
        double[] flat = { 0.40, 0.30, 0.25, 0.24, 0.24, 0.24, 0.24 };
        double[] falling = { 1.0, 0.9, 0.8, 0.6, 0.4, 0.2, 0.1 };
        var stoppedAt = new List<int>();

        for (int epoch = 0; epoch < flat.Length; epoch++)
        {
            if (stopping.Update("smile", flat[epoch], validationError: 0.35))
            {
                stoppedAt.Add(epoch);
            }

            Assert.False(stopping.Update("pose", falling[epoch], validationError: falling[epoch] * 0.9));
        }

        Assert.Equal(new[] { 4 }, stoppedAt);
        Assert.True(stopping.IsStopped("smile"));
        Assert.False(stopping.IsStopped("pose"));
    }
}
