using MultiTask.Landmarks.Cli;
using MultiTask.Landmarks.Cli.Compare;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Tests.Cli;

public sealed class VariantSpecTests
{
    [Fact]
    public void Parse_SplitWithModifiers_ReadsEveryPart()
    {
        VariantSpec spec = VariantSpec.Parse("Split:2+mutual=0.25+uncertainty+tws");

        Assert.Equal("split:2+mutual=0.25+uncertainty+tws", spec.Name);
        Assert.Equal("split", spec.Architecture);
        Assert.Equal(2, spec.SplitAt);
        Assert.Equal(0.25, spec.MutualRegularization, 12);
        Assert.Equal(TaskWeightingKind.Uncertainty, spec.Weighting);
        Assert.True(spec.TaskWiseStopping);
        Assert.Equal("split-2+mutual=0.25+uncertainty+tws", spec.FolderName);
    }

    [Fact]
    public void Parse_BareMutual_TakesTheDefaultLambda()
    {
        VariantSpec spec = VariantSpec.Parse("cross-stitch+mutual");

        Assert.Equal(VariantSpec.DefaultMutualLambda, spec.MutualRegularization, 12);
        Assert.Null(spec.SplitAt);
        Assert.Equal(TaskWeightingKind.Fixed, spec.Weighting);
    }

    [Fact]
    public void Parse_StitchLearningRate_ReadsTheMultiplier()
    {
        VariantSpec spec = VariantSpec.Parse("cross-stitch+mutual=10+stitch-lr=100");

        Assert.Equal(100, spec.StitchLearningRate);
        Assert.Equal(10, spec.MutualRegularization, 12);
        Assert.Null(VariantSpec.Parse("cross-stitch").StitchLearningRate);
    }

    [Fact]
    public void ParseList_DefaultList_GivesFiveVariantsInOrder()
    {
        IReadOnlyList<VariantSpec> specs = VariantSpec.ParseList(Landmarks.Cli.Commands.CompareCommand.DefaultVariants);

        Assert.Equal(new[] { "single", "shared", "split", "cross-stitch", "cross-stitch" },
            specs.Select(s => s.Architecture));
        Assert.Equal(VariantSpec.DefaultMutualLambda, specs[4].MutualRegularization, 12);
    }

    [Theory]
    [InlineData("single+uncertainty")]
    [InlineData("shared:2")]
    [InlineData("split:-1")]
    [InlineData("cross-stitch+mutual=-1")]
    [InlineData("shared+gradnorm=2")]
    [InlineData("tree")]
    [InlineData("shared+stitch-lr=100")]
    [InlineData("cross-stitch+stitch-lr=0")]
    [InlineData("cross-stitch+stitch-lr")]
    public void Parse_Invalid_ThrowsWithTheSyntax(string text)
    {
        CliException error = Assert.Throws<CliException>(() => VariantSpec.Parse(text));

        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Contains("BASE[:K]", error.Message, StringComparison.Ordinal);
    }
}
