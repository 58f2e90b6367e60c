using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Tests.Training;

public sealed class TrainerOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndRenderBatchesOnTheTrainingThread()
    {
        var options = new TrainerOptions();

        options.Validate();

        Assert.Equal(1, options.BatchParallelism);
    }

    [Theory]
    [InlineData(nameof(TrainerOptions.BatchParallelism))]
    [InlineData(nameof(TrainerOptions.DecodeParallelism))]
    [InlineData(nameof(TrainerOptions.CpuThreads))]
    public void Validate_ZeroThreads_NamesTheOption(string option)
    {
        var options = new TrainerOptions();
        typeof(TrainerOptions).GetProperty(option)!.SetValue(options, 0);

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Validate_NegativeStepsPerCollection_NamesTheOption()
    {
        var options = new TrainerOptions { StepsPerCollection = -1 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(nameof(TrainerOptions.StepsPerCollection), error.ParamName);
        Assert.Equal(16, new TrainerOptions().StepsPerCollection);
    }
}
