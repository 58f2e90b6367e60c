using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// Parameter counts and <c>state_dict</c> keys are a file format: model files and exported weights depend on them,
/// so they are pinned here. The expected counts are derived by hand from the papers' layer sizes (see the comments).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PresetTests
{
    // TCDCN, 40x40 grey: conv1 5x5x16 (416) -> 36, pool 18; conv2 3x3x48 (6,960) -> 16, pool 8; conv3 3x3x64
    // (27,712) -> 6, pool 3; conv4 2x2x64 (16,448) -> 2x2; fc 256->100 (25,700): 77,236. MTFL heads on 100
    // features: landmarks 10 (1,010), gender, smile, glasses 2 (202 each), pose 5 (505): 2,121.
    private const long TcdcnTrunk = 77_236;
    private const long TcdcnHeads = 2_121;

    // Sun F1, 39x39 grey: conv1 4x4x20 (340) -> 36, pool 18; conv2 3x3x40 (7,240) -> 16, pool 8; conv3 3x3x60
    // (21,660) -> 6, pool 3; conv4 2x2x80 (19,280) -> 2x2; fc 320->120 (38,520): 87,040. Heads on 120: 2,541.
    private const long SunF1Trunk = 87_040;
    private const long SunF1Heads = 2_541;

    // Compact64, 64x64 grey, no conv bias, batch norm (2C): conv1 5x5x16 s2 (400+32) -> 32, pool 16; conv2 3x3x32
    // (4,608+64) -> pool 8; conv3 3x3x64 (18,432+128) -> pool 4; conv4 3x3x128 (73,728+256) -> 4x4; fc 2048->128
    // (262,144+256): 360,048. Heads on 128: 2,709.
    private const long Compact64Trunk = 360_048;
    private const long Compact64Heads = 2_709;

    public static TheoryData<string, ArchitectureKind, long> Counts()
    {
        var data = new TheoryData<string, ArchitectureKind, long>();
        (string Preset, long Trunk, long Heads, long Channels, long Landmarks)[] presets =
        {
            (TrunkPresets.TcdcnName, TcdcnTrunk, TcdcnHeads, 16 + 48 + 64 + 64 + 100, 1_010),
            (TrunkPresets.SunF1Name, SunF1Trunk, SunF1Heads, 20 + 40 + 60 + 80 + 120, 1_210),
            (TrunkPresets.Compact64Name, Compact64Trunk, Compact64Heads, 16 + 32 + 64 + 128 + 128, 1_290),
        };
        foreach ((string preset, long trunk, long heads, long channels, long landmarks) in presets)
        {
            data.Add(preset, ArchitectureKind.SingleTask, trunk + landmarks);
            data.Add(preset, ArchitectureKind.Shared, trunk + heads);

            // Five columns; a per-channel unit after each of the five stages holds 5 x 5 x C weights.
            data.Add(preset, ArchitectureKind.CrossStitch, (5 * trunk) + heads + (25 * channels));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Create_Preset_HasPinnedParameterCount(string preset, ArchitectureKind architecture, long expected)
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Preset = preset,
            Architecture = architecture,
        });

        long actual = network.parameters().Sum(p => p.numel());

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Create_TcdcnWithMtflHeads_HasExactly79357Parameters()
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig { Preset = TrunkPresets.TcdcnName });

        Assert.Equal(79_357, network.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(0, 5 * TcdcnTrunk)]
    [InlineData(2, 416 + 6_960 + (5 * (27_712 + 16_448 + 25_700)))]
    [InlineData(5, TcdcnTrunk)]
    public void Create_TcdcnSplit_CopiesStagesFromTheSplitOn(int split, long trunkParameters)
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.Split,
            SplitStage = split,
        });

        Assert.Equal(trunkParameters + TcdcnHeads, network.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Create_PerStageCrossStitch_HasOneMatrixPerUnit()
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.CrossStitch,
            CrossStitchMode = CrossStitchMode.PerStage,
        });

        Assert.Equal((5 * TcdcnTrunk) + TcdcnHeads + (5 * 25), network.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void StateDict_SharedTcdcn_HasPinnedKeysAndShapes()
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig());
        var expected = new Dictionary<string, long[]>
        {
            ["trunk.conv1.conv.weight"] = new long[] { 16, 1, 5, 5 },
            ["trunk.conv1.conv.bias"] = new long[] { 16 },
            ["trunk.conv2.conv.weight"] = new long[] { 48, 16, 3, 3 },
            ["trunk.conv2.conv.bias"] = new long[] { 48 },
            ["trunk.conv3.conv.weight"] = new long[] { 64, 48, 3, 3 },
            ["trunk.conv3.conv.bias"] = new long[] { 64 },
            ["trunk.conv4.conv.weight"] = new long[] { 64, 64, 2, 2 },
            ["trunk.conv4.conv.bias"] = new long[] { 64 },
            ["trunk.fc.fc.weight"] = new long[] { 100, 256 },
            ["trunk.fc.fc.bias"] = new long[] { 100 },
            ["heads.landmarks.weight"] = new long[] { 10, 100 },
            ["heads.landmarks.bias"] = new long[] { 10 },
            ["heads.gender.weight"] = new long[] { 2, 100 },
            ["heads.gender.bias"] = new long[] { 2 },
            ["heads.smile.weight"] = new long[] { 2, 100 },
            ["heads.smile.bias"] = new long[] { 2 },
            ["heads.glasses.weight"] = new long[] { 2, 100 },
            ["heads.glasses.bias"] = new long[] { 2 },
            ["heads.pose.weight"] = new long[] { 5, 100 },
            ["heads.pose.bias"] = new long[] { 5 },
        };

        Dictionary<string, Tensor> state = network.state_dict();

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), state.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, pair => Assert.Equal(pair.Value, state[pair.Key].shape));
    }

    [Fact]
    public void StateDict_Compact64_HasBatchNormKeysAndNoConvolutionBias()
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig { Preset = TrunkPresets.Compact64Name });
        string[] bn = { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" };
        var expected = new List<string>();
        foreach (string stage in new[] { "conv1", "conv2", "conv3", "conv4" })
        {
            expected.Add($"trunk.{stage}.conv.weight");
            expected.AddRange(bn.Select(b => $"trunk.{stage}.bn.{b}"));
        }

        expected.Add("trunk.fc.fc.weight");
        expected.AddRange(bn.Select(b => $"trunk.fc.bn.{b}"));
        foreach (string task in new[] { "landmarks", "gender", "smile", "glasses", "pose" })
        {
            expected.Add($"heads.{task}.weight");
            expected.Add($"heads.{task}.bias");
        }

        Dictionary<string, Tensor> state = network.state_dict();

        Assert.Equal(expected.Order(StringComparer.Ordinal), state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 128, 2048 }, state["trunk.fc.fc.weight"].shape);
    }

    [Theory]
    [InlineData(TrunkPresets.TcdcnName)]
    [InlineData(TrunkPresets.SunF1Name)]
    public void StateDict_CrossStitchWithAffineMutual_HasColumnStitchHeadAndMutualKeys(string preset)
    {
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Preset = preset,
            Architecture = ArchitectureKind.CrossStitch,
            TaskGroups = new[] { new[] { "landmarks" }, new[] { "gender", "smile" }, new[] { "glasses", "pose" } },
            MutualRegularization = 1,
            MutualAffine = true,
        });
        string[] columns = { "landmarks", "gender_smile", "glasses_pose" };
        string[] stages = { "conv1", "conv2", "conv3", "conv4" };
        var expected = new List<string>();
        foreach (string column in columns)
        {
            foreach (string stage in stages)
            {
                expected.Add($"columns.{column}.{stage}.conv.weight");
                expected.Add($"columns.{column}.{stage}.conv.bias");
            }

            expected.Add($"columns.{column}.fc.fc.weight");
            expected.Add($"columns.{column}.fc.fc.bias");
        }

        expected.AddRange(stages.Append("fc").Select(s => $"stitches.{s}.weight"));
        foreach (string task in new[] { "landmarks", "gender", "smile", "glasses", "pose" })
        {
            expected.Add($"heads.{task}.weight");
            expected.Add($"heads.{task}.bias");
        }

        expected.Add("mutual.scale_raw");
        expected.Add("mutual.shift");

        Dictionary<string, Tensor> state = network.state_dict();

        Assert.Equal(expected.Order(StringComparer.Ordinal), state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 3, 3, network.TrunkSpec.Stages[0].Outputs }, state["stitches.conv1.weight"].shape);
        Assert.Equal(new long[] { 3, 5 }, state["mutual.scale_raw"].shape);
    }
}
