using MultiTask.Landmarks.Data;

namespace MultiTask.Landmarks.Tests.Data.Boxes;

public sealed class LandmarkSchemaTests
{
    public static TheoryData<string> Schemas => new() { "mtfl-5", "kaggle-15", "ibug-68" };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void MirrorOf_AnyPoint_IsAnInvolution(string name)
    {
        LandmarkSchema schema = ByName(name);

        for (int i = 0; i < schema.Count; i++)
        {
            Assert.Equal(i, schema.MirrorOf(schema.MirrorOf(i)));
        }

        Assert.Equal(schema.Count, schema.PointNames.Count);
        Assert.Equal(schema.Count, schema.PointNames.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void MirrorPairs_ByName_PairLeftWithRightOfTheSameFeature(string name)
    {
        LandmarkSchema schema = ByName(name);

        foreach ((int left, int right) in schema.MirrorPairs)
        {
            Assert.Equal(SwapSides(Feature(schema.PointNames[left])), Feature(schema.PointNames[right]));
        }
    }

    [Fact]
    public void Mtfl5_Pairs_SwapEyesAndMouthCornersOnly()
    {
        LandmarkSchema schema = LandmarkSchema.Mtfl5;

        int[] mirrored = Enumerable.Range(0, 5).Select(schema.MirrorOf).ToArray();

        Assert.Equal(new[] { 1, 0, 2, 4, 3 }, mirrored);
    }

    [Fact]
    public void Kaggle15_Pairs_MatchTheCompetitionColumns()
    {
        LandmarkSchema schema = LandmarkSchema.Kaggle15;

        int[] mirrored = Enumerable.Range(0, 15).Select(schema.MirrorOf).ToArray();

        // Columns: eye centres 0/1, inner corners 2/4, outer corners 3/5, inner brow ends 6/8, outer brow ends 7/9,
        // nose tip 10, mouth corners 11/12, top and bottom lip 13 and 14.
        Assert.Equal(new[] { 1, 0, 4, 5, 2, 3, 8, 9, 6, 7, 10, 12, 11, 13, 14 }, mirrored);
        Assert.Equal("nose_tip", schema.PointNames[10]);
        Assert.Equal("mouth_left_corner", schema.PointNames[11]);
    }

    [Fact]
    public void Ibug68_Pairs_MatchTheStandardMarkup()
    {
        // The 300-W markup, 1-based, written out region by region: jaw 1-17 (9 is the chin), brows 18-22 and 23-27,
        // nose bridge 28-31 on the midline, nostrils 32-36 (34 central), eyes 37-42 and 43-48 (each starting at the
        // outer corner, clockwise on screen), outer lip 49-60 (52 and 58 central), inner lip 61-68 (63 and 67).
        var expected = new Dictionary<int, int>
        {
            [1] = 17, [2] = 16, [3] = 15, [4] = 14, [5] = 13, [6] = 12, [7] = 11, [8] = 10,
            [18] = 27, [19] = 26, [20] = 25, [21] = 24, [22] = 23,
            [32] = 36, [33] = 35,
            [37] = 46, [38] = 45, [39] = 44, [40] = 43, [41] = 48, [42] = 47,
            [49] = 55, [50] = 54, [51] = 53, [60] = 56, [59] = 57,
            [61] = 65, [62] = 64, [68] = 66,
        };
        int[] selfMirrored = { 9, 28, 29, 30, 31, 34, 52, 58, 63, 67 };
        LandmarkSchema schema = LandmarkSchema.Ibug68;

        foreach ((int a, int b) in expected)
        {
            Assert.Equal(b - 1, schema.MirrorOf(a - 1));
            Assert.Equal(a - 1, schema.MirrorOf(b - 1));
        }

        foreach (int point in selfMirrored)
        {
            Assert.Equal(point - 1, schema.MirrorOf(point - 1));
        }

        Assert.Equal(68, schema.Count);
        Assert.Equal(68, (2 * expected.Count) + selfMirrored.Length);
        Assert.Equal(expected.Count, schema.MirrorPairs.Count);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(-1, 1)]
    [InlineData(1, 1)]
    public void Constructor_InvalidPair_Throws(int left, int right)
    {
        var names = new[] { "a", "b", "c" };

        Assert.Throws<ArgumentException>(() => new LandmarkSchema("bad", names, new[] { (left, right) }));
    }

    [Fact]
    public void Constructor_PointInTwoPairs_Throws()
    {
        var names = new[] { "a", "b", "c" };

        Assert.Throws<ArgumentException>(() => new LandmarkSchema("bad", names, new[] { (0, 1), (1, 2) }));
    }

    // "right_brow_3" -> "right_brow": the feature without its point number.
    private static string Feature(string pointName) => pointName.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8',
        '9', '_');

    private static string SwapSides(string feature) => feature.Replace("left", "\0", StringComparison.Ordinal)
        .Replace("right", "left", StringComparison.Ordinal)
        .Replace("\0", "right", StringComparison.Ordinal);

    private static LandmarkSchema ByName(string name) => name switch
    {
        "mtfl-5" => LandmarkSchema.Mtfl5,
        "kaggle-15" => LandmarkSchema.Kaggle15,
        _ => LandmarkSchema.Ibug68,
    };
}
