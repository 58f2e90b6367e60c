using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class BoxJoinTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void AttachBoxes_SameImagesWrittenDifferently_GivesEachSampleItsBox()
    {
        ReadResult<FaceSample> mtfl = MtflReader.Read(files.Write("training.txt",
            "d/a.jpg 1 2 3 4 5 1 2 3 4 5 1 1 1 1\r\n d\\b.jpg 1 2 3 4 5 1 2 3 4 5 2 2 2 5\r\n"));
        ReadResult<FaceSample> boxes = CnnFacePointReader.Read(files.Write("trainImageList.txt",
            "d\\b.jpg 10 20 30 40 0 0 0 0 0 0 0 0 0 0\nd\\a.jpg 1 2 3 4 0 0 0 0 0 0 0 0 0 0\n"));

        ReadResult<FaceSample> joined = BoxJoin.AttachBoxes(mtfl, boxes);

        Assert.Empty(joined.Problems);
        Assert.Equal(FaceBox.FromEdges(1, 3, 2, 4), joined.Records[0].Box);
        Assert.Equal(FaceBox.FromEdges(10, 30, 20, 40), joined.Records[1].Box);
        Assert.Equal(new FaceAttributes(1, 1, 1, 4), joined.Records[1].Attributes);
        Assert.Equal(2, joined.Records[1].Origin.Line);
    }

    [Fact]
    public void AttachBoxes_StrictWithUnlistedImage_ThrowsNamingTheMtflLine()
    {
        string mtflPath = files.Write("training.txt",
            "d/a.jpg 1 2 3 4 5 1 2 3 4 5 1 1 1 1\n d/c.jpg 1 2 3 4 5 1 2 3 4 5 1 1 1 1\n");
        ReadResult<FaceSample> mtfl = MtflReader.Read(mtflPath);
        ReadResult<FaceSample> boxes = CnnFacePointReader.Read(files.Write("trainImageList.txt",
            "d\\a.jpg 1 2 3 4 0 0 0 0 0 0 0 0 0 0\n"));

        var error = Assert.Throws<InvalidDataException>(() => BoxJoin.AttachBoxes(mtfl, boxes));

        Assert.StartsWith(mtflPath + ":2: no box for image", error.Message, StringComparison.Ordinal);
        Assert.Contains("trainImageList.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttachBoxes_LenientWithUnlistedImage_KeepsTheSampleAndReportsIt()
    {
        string mtflPath = files.Write("training.txt",
            "d/a.jpg 1 2 3 4 5 1 2 3 4 5 1 1 1 1\n d/c.jpg 1 2 3 4 5 1 2 3 4 5 1 1 1 1\n");
        ReadResult<FaceSample> mtfl = MtflReader.Read(mtflPath);
        ReadResult<FaceSample> boxes = CnnFacePointReader.Read(files.Write("trainImageList.txt",
            "d\\a.jpg 1 2 3 4 0 0 0 0 0 0 0 0 0 0\n"));

        ReadResult<FaceSample> joined = BoxJoin.AttachBoxes(mtfl, boxes, lenient: true);

        Assert.Equal(2, joined.Records.Count);
        Assert.Null(joined.Records[1].Box);
        ReadProblem problem = Assert.Single(joined.Problems);
        Assert.Equal(new SampleOrigin(mtflPath, 2), problem.Origin);
        Assert.Contains("Kept without a box", problem.Message, StringComparison.Ordinal);
    }
}
