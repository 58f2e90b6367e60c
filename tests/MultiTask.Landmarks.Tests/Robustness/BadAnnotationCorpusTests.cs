using System.Text;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Tests.Data;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>
/// The annotation half of the bad-input corpus, generated here: each bad line must raise
/// <see cref="InvalidDataException"/> naming the file, the 1-based line and the problem in a strict read, and be
/// skipped and reported (never dropped silently) in a lenient one. No path may resolve outside the image root.
/// </summary>
public sealed class BadAnnotationCorpusTests : IDisposable
{
    private const string MtflTail = " 101 141 121 111 141 111 116 141 156 161 1 2 2 3";
    private const string CnnTail = " 80 170 90 180 100 110 140 110 120 140 105 160 135 160";

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    /// <summary>Bad MTFL lines (as UTF-8 text, except the one of Latin-1 bytes) and what their errors must say.
    /// </summary>
    public static TheoryData<string, string> BadMtflLines => new()
    {
        { "a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2", "expected 15 columns (path x1..x5 y1..y5 gender smile glasses pose)" },
        { "a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2 3 7", "expected 15 columns" },
        { "a.jpg", "found 1" },
        { "a.jpg 1 2 eye 4 5 1 2 3 4 5 1 2 2 3", "column x3 holds 'eye', which is not a number" },
        { "a.jpg 1 2 3 4 5 1 2 3 4 NaN 1 2 2 3", "column y5 holds 'NaN', which is not a finite number" },
        { "a.jpg Infinity 2 3 4 5 1 2 3 4 5 1 2 2 3", "column x1 holds 'Infinity', which is not a finite number" },
        { "a.jpg 1 2 3 4 5 -Infinity 2 3 4 5 1 2 2 3", "column y1 holds '-Infinity'" },
        { "a.jpg 1 2 3 4 1e39 1 2 3 4 5 1 2 2 3", "column x5 holds '1e39', which is not a finite number" },
        { "a.jpg 1 2 3 4 0x10 1 2 3 4 5 1 2 2 3", "column x5 holds '0x10', which is not a number" },
        { "a.jpg 1 2 3 4 5 1 -7 3 4 5 1 2 2 3", "point 2 (1, -8) has a negative coordinate" },
        { "a.jpg 0.5 2 3 4 5 1 2 3 4 5 1 2 2 3", "point 1 (-0.5, 0) has a negative coordinate" },
        { "a.jpg 1 2 3 4 5 1 2 3 4 5 male 2 2 3", "column gender holds 'male', which is not an integer" },
        { "a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2 6", "column pose holds 6, outside the allowed range 1..5" },
        { "a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 0 3", "column glasses holds 0, outside the allowed range 1..2" },
        { @"..\outside.jpg" + MtflTail, "contains '..'" },
        { "lfw/../../outside.jpg" + MtflTail, "contains '..'" },
        { "/etc/passwd" + MtflTail, "is absolute" },
        { @"C:\faces\a.jpg" + MtflTail, "is absolute" },
        { @"\\server\share\a.jpg" + MtflTail, "is absolute" },
        { "a\0b.jpg" + MtflTail, "holds a control character" },
        { "caf\u00E9.jpg" + MtflTail, "not valid UTF-8" },
        { "first.jpg" + MtflTail, "is listed again (first at line 1)" },
    };

    /// <summary>Bad CNN_FacePoint lines and what their errors must say.</summary>
    public static TheoryData<string, string> BadCnnLines => new()
    {
        { "a.jpg 80 170 90 180 100 110 140 110 120 140 105 160 135", "expected 15 columns" },
        { "a.jpg 80 170 90 180 100 110 140 110 120 140 105 160 135 160 1", "found 16" },
        { "a.jpg 80 170 90 180 100 110 140 110 nose 140 105 160 135 160", "column x3 holds 'nose'" },
        { "a.jpg 80 170 90 180 100 110 140 110 120 NaN 105 160 135 160", "column y3 holds 'NaN'" },
        { "a.jpg 80 170 90 inf 100 110 140 110 120 140 105 160 135 160", "column bottom holds 'inf'" },
        { "a.jpg 80 170 90 180 -1 110 140 110 120 140 105 160 135 160", "point 1 (-1, 110) has a negative" },
        { "a.jpg 170 80 90 180 100 110 140 110 120 140 105 160 135 160", "is empty; expected left < right" },
        { @"..\..\x.jpg" + CnnTail, "contains '..'" },
        { "/tmp/x.jpg" + CnnTail, "is absolute" },
        { "caf\u00E9.jpg" + CnnTail, "not valid UTF-8" },
        { @"first.jpg" + CnnTail, "is listed again (first at line 1)" },
    };

    [Theory]
    [MemberData(nameof(BadMtflLines))]
    public void MtflRead_BadSecondLine_ThrowsNamingFileLineAndProblem(string badLine, string expected)
    {
        string path = WriteList("training.txt", "first.jpg" + MtflTail, badLine);

        var error = Bounded.Throws<InvalidDataException>(() => MtflReader.Read(path));

        Assert.StartsWith(path + ":2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadCnnLines))]
    public void CnnFacePointRead_BadSecondLine_ThrowsNamingFileLineAndProblem(string badLine, string expected)
    {
        string path = WriteList("trainImageList.txt", @"first.jpg" + CnnTail, badLine);

        var error = Bounded.Throws<InvalidDataException>(() => CnnFacePointReader.Read(path));

        Assert.StartsWith(path + ":2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtflRead_LenientOverTheWholeCorpus_KeepsEveryGoodLineAndReportsEveryBadOne()
    {
        (string[] lines, int[] badLines, string[] expected) = Interleave(
            BadMtflLines.Select(row => ((string)row[0], (string)row[1])), i => $"good/{i}.jpg" + MtflTail);
        string path = WriteList("training.txt", lines);

        ReadResult<FaceSample> result = Bounded.Run(
            () => MtflReader.Read(path, new AnnotationReadOptions { Lenient = true }));

        Assert.Equal(lines.Length - badLines.Length, result.Records.Count);
        Assert.Equal(badLines, result.Problems.Select(problem => problem.Line));
        for (int i = 0; i < badLines.Length; i++)
        {
            Assert.Equal(path, result.Problems[i].File);
            Assert.Contains(expected[i], result.Problems[i].Message, StringComparison.Ordinal);
        }

        AssertAllUnderRoot(result, files.Root);
    }

    [Fact]
    public void CnnFacePointRead_LenientOverTheWholeCorpus_KeepsEveryGoodLineAndReportsEveryBadOne()
    {
        (string[] lines, int[] badLines, string[] expected) = Interleave(
            BadCnnLines.Select(row => ((string)row[0], (string)row[1])), i => $"good/{i}.jpg" + CnnTail);
        string path = WriteList("testImageList.txt", lines);

        ReadResult<FaceSample> result = Bounded.Run(
            () => CnnFacePointReader.Read(path, new AnnotationReadOptions { Lenient = true }));

        Assert.Equal(lines.Length - badLines.Length, result.Records.Count);
        Assert.Equal(badLines, result.Problems.Select(problem => problem.Line));
        Assert.All(result.Problems.Zip(expected),
            pair => Assert.Contains(pair.Second, pair.First.Message, StringComparison.Ordinal));
        AssertAllUnderRoot(result, files.Root);
    }

    [Fact]
    public void MtflRead_DuplicatesAllowed_KeepsBothLines()
    {
        string path = WriteList("training.txt", "first.jpg" + MtflTail, "first.jpg" + MtflTail);
        var options = new AnnotationReadOptions { AllowDuplicateImages = true };

        ReadResult<FaceSample> result = MtflReader.Read(path, options);

        Assert.Equal(new[] { 1, 2 }, result.Records.Select(sample => sample.Origin.Line));
    }

    [Fact]
    public void MtflRead_PointBeyondItsImage_ThrowsWhenCheckingAgainstTheHeader()
    {
        // x2 = 260 (1-based) is 259 in pixels, beyond the 250-pixel-wide image.
        files.WriteImage("wide.jpg", 250, 250);
        string path = WriteList("training.txt", "wide.jpg 101 260 121 111 141 111 116 141 156 161 1 2 2 3");

        var error = Bounded.Throws<InvalidDataException>(
            () => MtflReader.Read(path, new AnnotationReadOptions { CheckPointsInsideImage = true }));

        Assert.StartsWith(path + ":1: point 2 (259, 115) lies outside its 250x250 image '"
            + Path.Combine(files.Root, "wide.jpg") + "'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtflRead_ImageAboveTheConfiguredPixelLimit_IsRefusedFromItsHeader()
    {
        files.WriteImage("big.jpg", 64, 64);
        string path = WriteList("training.txt", "big.jpg 11 41 21 11 41 11 16 41 56 61 1 2 2 3");
        var options = new AnnotationReadOptions
        {
            CheckPointsInsideImage = true, ImageLoadOptions = new ImageLoadOptions { MaxPixels = 4095 },
        };

        var error = Bounded.Throws<InvalidDataException>(() => MtflReader.Read(path, options));

        Assert.StartsWith(path + ":1: Image file " + Path.Combine(files.Root, "big.jpg"), error.Message,
            StringComparison.Ordinal);
        Assert.Contains("64x64 = 4096 pixels, more than the limit of 4095", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtflRead_LenientWithBrokenImageFiles_ReportsEveryFileWhoseHeaderFails()
    {
        string[] names = BrokenImageFiles.All.Select(file => file.Name).Append("absent.jpg").ToArray();
        foreach (string name in names.SkipLast(1))
        {
            BrokenImageFiles.Write(files, name);
        }

        // Points inside the 64x64 images, so that only the files themselves can be at fault.
        string path = WriteList(
            "training.txt", names.Select(name => name + " 11 41 21 11 41 11 16 41 56 61 1 2 2 3").ToArray());
        var options = new AnnotationReadOptions { Lenient = true, CheckPointsInsideImage = true };

        ReadResult<FaceSample> result = Bounded.Run(() => MtflReader.Read(path, options));

        // The check reads headers only: a file cut after its header passes here and is refused when decoded.
        Assert.Equal(names.Length, result.Records.Count + result.Problems.Count);
        string[] refused = result.Problems.Select(problem => names[problem.Line - 1]).ToArray();
        Assert.Superset(
            new HashSet<string>
            {
                "empty.jpg", "text.png", "huge.png", "huge.jpg", "huge.gif", "huge.bmp", "beyond-bmp-limit.bmp",
                "folder.jpg", "absent.jpg",
            },
            refused.ToHashSet());
        Assert.All(result.Problems.Zip(refused), pair => Assert.Contains(
            Path.Combine(files.Root, pair.Second), pair.First.Message, StringComparison.Ordinal));
    }

    /// <summary>Writes lines with CRLF ends as UTF-8, except that é is written as the single Latin-1 byte 0xE9.
    /// </summary>
    private string WriteList(string name, params string[] lines)
    {
        var bytes = new List<byte>();
        foreach (string line in lines)
        {
            foreach (char c in line)
            {
                bytes.AddRange(c == '\u00E9' ? new byte[] { 0xE9 } : Encoding.UTF8.GetBytes(c.ToString()));
            }

            bytes.AddRange("\r\n"u8.ToArray());
        }

        return files.Write(name, bytes.ToArray());
    }

    /// <summary>Puts a good line before every bad one (the first line is the "first.jpg" the duplicates repeat).
    /// </summary>
    private static (string[] Lines, int[] BadLines, string[] Expected) Interleave(
        IEnumerable<(string Line, string Expected)> bad, Func<int, string> good)
    {
        var lines = new List<string> { good(-1).Replace("good/-1.jpg", "first.jpg", StringComparison.Ordinal) };
        var badLines = new List<int>();
        var expected = new List<string>();
        int i = 0;
        foreach ((string line, string message) in bad)
        {
            lines.Add(good(i++));
            lines.Add(line);
            badLines.Add(lines.Count);
            expected.Add(message);
        }

        return (lines.ToArray(), badLines.ToArray(), expected.ToArray());
    }

    private static void AssertAllUnderRoot(ReadResult<FaceSample> result, string root)
    {
        string prefix = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        Assert.All(result.Records,
            sample => Assert.StartsWith(prefix, ((FileImageSource)sample.Image).Path, StringComparison.Ordinal));
    }
}
