using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Step_DecaysByGammaEveryStepEpochs()
    {
        var schedule = new LearningRateSchedule(
            LearningRateScheduleKind.Step, totalEpochs: 30, stepEpochs: 10, stepGamma: 0.5);

        Assert.Equal(1.0, schedule.FactorAt(9, 99, 100), 12);
        Assert.Equal(0.5, schedule.FactorAt(10, 0, 100), 12);
        Assert.Equal(0.25, schedule.FactorAt(29, 0, 100), 12);
    }

    [Fact]
    public void Cosine_StartsAtOneAndEndsAtTheFloor()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, totalEpochs: 10, cosineFloor: 0.05);

        Assert.Equal(1.0, schedule.FactorAt(0, 0, 10), 12);
        Assert.Equal(0.05 + (0.95 * 0.5), schedule.FactorAt(5, 0, 10), 12);
        Assert.Equal(0.05 + (0.95 * 0.5 * (1 + Math.Cos(Math.PI * 0.99))), schedule.FactorAt(9, 9, 10), 12);
    }

    [Fact]
    public void Warmup_RisesLinearlyFromTheStartFactor()
    {
        var schedule = new LearningRateSchedule(
            LearningRateScheduleKind.Constant, totalEpochs: 5, warmupEpochs: 2, warmupStartFactor: 0.2);

        Assert.Equal(0.2, schedule.FactorAt(0, 0, 4), 12);
        Assert.Equal(0.2 + (0.8 * 0.5), schedule.FactorAt(1, 0, 4), 12);
        Assert.Equal(1.0, schedule.FactorAt(2, 0, 4), 12);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new LearningRateSchedule(LearningRateScheduleKind.Constant, 0));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new LearningRateSchedule(LearningRateScheduleKind.Step, 5, stepGamma: 0));
    }
}
