using MultiTask.Landmarks.Cli;
using MultiTask.Landmarks.Cli.Commands;
using MultiTask.Landmarks.Modules;

namespace MultiTask.Landmarks.Tests.Cli;

/// <summary>--stitch-lr (and compare's stitch-lr=M) reaches the network configuration the trainer reads.</summary>
public sealed class StitchLearningRateOptionTests
{
    [Fact]
    public void Create_WithMultiplier_SetsTheConfiguration()
    {
        NetworkConfig config = NetworkOptions.Create(
            "tcdcn", "cross-stitch", null, null, 0, true, 5, null, stitchLearningRate: 100);

        Assert.Equal(100, config.CrossStitchLearningRateMultiplier);
    }

    [Fact]
    public void Create_WithoutMultiplier_KeepsTheLibrarysAdamDefault()
    {
        NetworkConfig config = NetworkOptions.Create("tcdcn", "cross-stitch", null, null, 0, true, 5);

        Assert.Equal(NetworkConfig.RecommendedAdamStitchMultiplier, config.CrossStitchLearningRateMultiplier);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.PositiveInfinity)]
    public void Create_BadMultiplier_NamesTheOption(double multiplier)
    {
        CliException error = Assert.Throws<CliException>(() => NetworkOptions.Create(
            "tcdcn", "cross-stitch", null, null, 0, true, 5, null, multiplier));

        Assert.Contains("--stitch-lr", error.Message, StringComparison.Ordinal);
    }
}
