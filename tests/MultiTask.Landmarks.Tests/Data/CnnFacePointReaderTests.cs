using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class CnnFacePointReaderTests : IDisposable
{
    private const string GoodLine = @"lfw_5590\a.jpg 84 161 92 169 106.25 107.75 146.75 112.25 125.25 142.75 "
        + "105.25 157.75 139.75 161.75";

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Read_Line_TakesBoxAsLeftRightTopBottomAndInterleavedPoints()
    {
        string path = files.Write("trainImageList.txt", GoodLine + "\r\n");

        FaceSample sample = Assert.Single(CnnFacePointReader.Read(path).Records);

        Assert.Equal(FaceBox.FromEdges(left: 84, top: 92, right: 161, bottom: 169), sample.Box);
        Assert.Equal(new Landmark(106.25f, 107.75f), sample.Landmarks[0]);
        Assert.Equal(new Landmark(146.75f, 112.25f), sample.Landmarks[1]);
        Assert.Equal(new Landmark(139.75f, 161.75f), sample.Landmarks[4]);
        Assert.Equal(FaceAttributes.None, sample.Attributes);
    }

    [Theory]
    [InlineData(@"a.jpg 84 161 92 169 1 2 3 4 5 6 7 8 9", "expected 15 columns")]
    [InlineData(@"a.jpg 84 161 92 169 1 2 3 4 5 6 7 8 9 zz", "column y5 holds 'zz'")]
    [InlineData(@"a.jpg 161 84 92 169 1 2 3 4 5 6 7 8 9 10", "the box (left 161, right 84")]
    [InlineData(@"a.jpg 84 161 169 92 1 2 3 4 5 6 7 8 9 10", "is empty")]
    [InlineData(@"a.jpg 84 -inf 92 169 1 2 3 4 5 6 7 8 9 10", "column right holds '-inf'")]
    public void Read_BadSecondLine_ThrowsNamingFileLineAndProblem(string badLine, string expected)
    {
        string path = files.Write("testImageList.txt", GoodLine + "\n" + badLine + "\n");

        var error = Assert.Throws<InvalidDataException>(() => CnnFacePointReader.Read(path));

        Assert.StartsWith(path + ":2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PointOutsideItsImage_ThrowsNamingLine()
    {
        files.WriteImage("lfw_5590/a.jpg", 250, 120);
        string path = files.Write("testImageList.txt", GoodLine);

        var error = Assert.Throws<InvalidDataException>(
            () => CnnFacePointReader.Read(path, new AnnotationReadOptions { CheckPointsInsideImage = true }));

        Assert.StartsWith(path + ":1: point 3 (125.25, 142.75) lies outside its 250x120 image",
            error.Message, StringComparison.Ordinal);
    }
}
