using System.Globalization;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class KaggleSubmissionWriterTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Write_LookupRows_GivesRowIdAndTheRequestedCoordinateOfTheRequestedImage()
    {
        var lookup = new[]
        {
            new KaggleLookupRow(1, 7, "left_eye_center_x"), new KaggleLookupRow(2, 7, "left_eye_center_y"),
            new KaggleLookupRow(3, 9, "mouth_center_bottom_lip_y"), new KaggleLookupRow(4, 9, "nose_tip_x"),
        };
        var predictions = new Dictionary<int, IReadOnlyList<Landmark>>
        {
            [7] = Points(offset: 0),
            [9] = Points(offset: 1),
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        KaggleSubmissionWriter.Write(writer, lookup, predictions);

        // Point i of offset o lies at (10 + i + o + 0.25, 50 + i + o + 0.5).
        Assert.Equal("RowId,Location\n1,10.25\n2,50.5\n3,65.5\n4,21.25\n", writer.ToString());
    }

    [Fact]
    public void Write_PredictionOutsideTheImage_IsClampedToItsEdges()
    {
        Landmark[] points = Points(0);
        points[0] = new Landmark(-3.5f, 101f);
        var lookup = new[]
        {
            new KaggleLookupRow(1, 1, "left_eye_center_x"), new KaggleLookupRow(2, 1, "left_eye_center_y"),
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        KaggleSubmissionWriter.Write(writer, lookup, new Dictionary<int, IReadOnlyList<Landmark>> { [1] = points });

        Assert.Equal("RowId,Location\n1,0\n2,96\n", writer.ToString());
    }

    [Theory]
    [InlineData(2, "left_eye_center_x", "asks for image 2, which has no prediction")]
    [InlineData(1, "nose_tip_z", "asks for 'nose_tip_z', which is not a keypoint column")]
    [InlineData(1, "mouth_left_corner_y", "asks for mouth_left_corner_y of image 1, predicted as missing")]
    public void Write_UnanswerableRow_ThrowsNamingTheRow(int imageId, string feature, string expected)
    {
        Landmark[] points = Points(0);
        points[11] = Landmark.Missing;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        var error = Assert.Throws<InvalidOperationException>(() => KaggleSubmissionWriter.Write(writer,
            new[] { new KaggleLookupRow(5, imageId, feature) },
            new Dictionary<int, IReadOnlyList<Landmark>> { [1] = points }));

        Assert.StartsWith("Lookup row 5 ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FromCompetitionFiles_WritesEveryLookupRowReadableByAnIndependentParser()
    {
        string pixels = KaggleCsvText.PixelText(KaggleCsvText.Pattern(0));
        string testPath = files.Write("test.csv", $"{KaggleCsvText.TestHeader}\n1,{pixels}\n2,{pixels}\n");
        var lookupText = new List<string> { KaggleCsvText.LookupHeader };
        int rowId = 0;
        foreach (int imageId in new[] { 1, 2 })
        {
            lookupText.AddRange(KaggleCsvText.KeypointNames.Select(name => $"{++rowId},{imageId},{name},"));
        }

        string lookupPath = files.Write("IdLookupTable.csv", string.Join("\n", lookupText) + "\n");
        string submissionPath = Path.Combine(files.Root, "submission.csv");
        ReadResult<KaggleTestImage> tests = KaggleKeypointsReader.ReadTest(testPath);
        var predictions = tests.Records.ToDictionary(
            test => test.ImageId, test => (IReadOnlyList<Landmark>)Points(offset: test.ImageId * 3));

        KaggleSubmissionWriter.Write(
            submissionPath, KaggleKeypointsReader.ReadLookupTable(lookupPath).Records, predictions);

        string[] lines = File.ReadAllLines(submissionPath);
        Assert.Equal("RowId,Location", lines[0]);
        Assert.Equal(61, lines.Length);
        for (int row = 1; row <= 60; row++)
        {
            string[] cells = lines[row].Split(',');
            int imageId = row <= 30 ? 1 : 2;
            int column = (row - 1) % 30;
            Landmark point = predictions[imageId][column / 2];
            Assert.Equal(row, int.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal(column % 2 == 0 ? point.X : point.Y,
                double.Parse(cells[1], CultureInfo.InvariantCulture), precision: 5);
        }
    }

    private static Landmark[] Points(int offset) => Enumerable.Range(0, 15)
        .Select(i => new Landmark(10 + i + offset + 0.25f, 50 + i + offset + 0.5f))
        .ToArray();
}
