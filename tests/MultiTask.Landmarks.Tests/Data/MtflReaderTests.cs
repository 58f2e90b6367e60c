using System.Text;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class MtflReaderTests : IDisposable
{
    // The first two lines of the real training.txt's layout: CRLF, backslashes, a leading space from line 2 on.
    private const string GoodLine1 =
        @"lfw_5590\a.jpg 107.250000 147.750000 126.250000 106.250000 140.750000 108.750000 113.250000 143.750000 "
        + "158.750000 162.750000 1 2 2 3";

    private const string GoodLine2 =
        @" net_7876\b.jpg 11 12 13 14 15 21 22 23 24 25 2 1 1 5";

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Read_WindowsFormattedLines_ConvertsToZeroBasedPixelsAndClasses()
    {
        string path = files.Write("training.txt", GoodLine1 + "\r\n" + GoodLine2 + "\r\n ");

        ReadResult<FaceSample> result = MtflReader.Read(path);

        Assert.Equal(2, result.Records.Count);
        Assert.Empty(result.Problems);
        FaceSample first = result.Records[0];
        Assert.Equal(new Landmark(106.25f, 107.75f), first.Landmarks[0]);
        Assert.Equal(new Landmark(139.75f, 161.75f), first.Landmarks[4]);
        Assert.Equal(new FaceAttributes(Gender: 0, Smile: 1, Glasses: 1, Pose: 2), first.Attributes);
        Assert.Null(first.Box);
        Assert.Equal(new SampleOrigin(path, 1), first.Origin);
        Assert.Equal(Path.Combine(files.Root, "lfw_5590", "a.jpg"), ((FileImageSource)first.Image).Path);
        FaceSample second = result.Records[1];
        Assert.Equal(new FaceAttributes(Gender: 1, Smile: 0, Glasses: 0, Pose: 4), second.Attributes);
        Assert.Equal(new Landmark(10, 20), second.Landmarks[0]);
        Assert.Equal(2, second.Origin.Line);
    }

    [Fact]
    public void Read_StreamWithImageRoot_ResolvesAgainstTheRoot()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(GoodLine2));
        var options = new AnnotationReadOptions { ImageRoot = files.Root };

        ReadResult<FaceSample> result = MtflReader.Read(stream, "memory.txt", options);

        Assert.Equal(Path.Combine(files.Root, "net_7876", "b.jpg"), ((FileImageSource)result.Records[0].Image).Path);
        Assert.Equal("memory.txt", result.Records[0].Origin.File);
    }

    [Theory]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2", "expected 15 columns")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2 3 9", "found 16")]
    [InlineData(@"a.jpg 1 2 x 4 5 1 2 3 4 5 1 2 2 3", "column x3 holds 'x', which is not a number")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 NaN 1 2 2 3", "column y5 holds 'NaN', which is not a finite number")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 Infinity 5 1 2 2 3", "column y4 holds 'Infinity'")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 5 3 2 2 3", "column gender holds 3, outside the allowed range 1..2")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 5 1 0 2 3", "column smile holds 0")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2.5 3", "column glasses holds '2.5', which is not an integer")]
    [InlineData(@"a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2 6", "column pose holds 6")]
    [InlineData(@"..\a.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2 3", "contains '..'")]
    public void Read_BadThirdLine_ThrowsNamingFileLineAndProblem(string badLine, string expected)
    {
        string path = files.Write("training.txt", GoodLine1 + "\r\n" + GoodLine2 + "\r\n" + badLine + "\r\n");

        var error = Assert.Throws<InvalidDataException>(() => MtflReader.Read(path));

        Assert.StartsWith(path + ":3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LenientWithBadLines_KeepsGoodOnesAndReportsEveryBadOne()
    {
        string text = string.Join("\r\n", GoodLine1, "broken line", GoodLine2, @"c.jpg 1 2 3 4 5 1 2 3 4 5 1 2 2 9");
        string path = files.Write("training.txt", text);

        ReadResult<FaceSample> result = MtflReader.Read(path, new AnnotationReadOptions { Lenient = true });

        Assert.Equal(new[] { 1, 3 }, result.Records.Select(s => s.Origin.Line));
        Assert.Equal(new[] { 2, 4 }, result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.Equal(path, p.File));
        Assert.Contains("expected 15 columns", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("pose", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.StartsWith(path + ":2: ", result.Problems[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CheckImagesExistWithMissingImage_ThrowsNamingLineAndImage()
    {
        files.WriteImage(@"lfw_5590/a.jpg", 250, 250);
        string path = files.Write("training.txt", GoodLine1 + "\r\n" + GoodLine2);

        var error = Assert.Throws<InvalidDataException>(
            () => MtflReader.Read(path, new AnnotationReadOptions { CheckImagesExist = true }));

        Assert.StartsWith(path + ":2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("net_7876", "b.jpg"), error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PointOutsideItsImage_ThrowsNamingLineAndPoint()
    {
        // The image is 140 wide; point 2 lies at x = 147.75 - 1 = 146.75.
        files.WriteImage(@"lfw_5590/a.jpg", 140, 250);
        string path = files.Write("training.txt", GoodLine1);

        var error = Assert.Throws<InvalidDataException>(
            () => MtflReader.Read(path, new AnnotationReadOptions { CheckPointsInsideImage = true }));

        Assert.StartsWith(path + ":1: point 2 (146.75, 112.25)", error.Message, StringComparison.Ordinal);
        Assert.Contains("140x250", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PointsInsideAnExistingImage_PassesTheCheck()
    {
        files.WriteImage(@"lfw_5590/a.jpg", 250, 250);
        string path = files.Write("training.txt", GoodLine1);

        ReadResult<FaceSample> result =
            MtflReader.Read(path, new AnnotationReadOptions { CheckPointsInsideImage = true });

        Assert.Single(result.Records);
    }

    [Fact]
    public void Read_CorruptImageWhenCheckingPoints_ThrowsNamingLineAndImage()
    {
        files.Write(@"lfw_5590/a.jpg", "not an image");
        string path = files.Write("training.txt", GoodLine1);

        var error = Assert.Throws<InvalidDataException>(
            () => MtflReader.Read(path, new AnnotationReadOptions { CheckPointsInsideImage = true }));

        Assert.StartsWith(path + ":1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("lfw_5590", "a.jpg"), error.Message, StringComparison.Ordinal);
    }
}
