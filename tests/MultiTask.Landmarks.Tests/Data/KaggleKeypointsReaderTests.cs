using System.Globalization;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class KaggleKeypointsReaderTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void KeypointColumns_EqualTheCompetitionHeaderInOrder()
    {
        Assert.Equal(KaggleCsvText.KeypointNames, KaggleKeypointsReader.KeypointColumns);
        Assert.Equal(
            KaggleCsvText.KeypointNames.Where((_, i) => i % 2 == 0).Select(name => name[..^2]),
            LandmarkSchema.Kaggle15.PointNames);
    }

    [Fact]
    public void Kaggle15_MirrorOfEachPoint_IsItsNameWithLeftAndRightSwapped()
    {
        LandmarkSchema schema = LandmarkSchema.Kaggle15;

        for (int i = 0; i < schema.Count; i++)
        {
            string name = schema.PointNames[i];
            string swapped = name.Replace("left", "#", StringComparison.Ordinal)
                .Replace("right", "left", StringComparison.Ordinal)
                .Replace("#", "right", StringComparison.Ordinal);
            Assert.Equal(swapped, schema.PointNames[schema.MirrorOf(i)]);
        }

        Assert.Equal(6, schema.MirrorPairs.Count);
    }

    [Fact]
    public void ReadTraining_CompetitionLayout_ReadsPointsMissingCellsAndPixels()
    {
        double?[] full = Enumerable.Range(0, 30).Select(i => (double?)(10.125 + (2.5 * i))).ToArray();

        // Most rows of the real file give only these four points: the eye centres, the nose tip and the lower lip.
        var sparse = new double?[30];
        foreach (int point in new[] { 0, 1, 10, 14 })
        {
            sparse[2 * point] = 30.5 + point;
            sparse[(2 * point) + 1] = 40.25 + point;
        }

        string path = files.Write("training.csv", string.Join("\r\n", KaggleCsvText.TrainingHeader,
            KaggleCsvText.TrainingRow(full, KaggleCsvText.Pattern(1)),
            KaggleCsvText.TrainingRow(sparse, KaggleCsvText.Pattern(2))) + "\r\n");

        ReadResult<FaceSample> result = KaggleKeypointsReader.ReadTraining(path);

        Assert.Equal(2, result.Records.Count);
        Assert.Empty(result.Problems);
        FaceSample first = result.Records[0];
        Assert.Equal(new SampleOrigin(path, 2), first.Origin);
        Assert.Equal(15, first.Landmarks.Count);
        Assert.Equal(new Landmark(10.125f, 12.625f), first.Landmarks[0]);
        Assert.Equal(new Landmark(80.125f, 82.625f), first.Landmarks[14]);
        Assert.Null(first.Box);
        Assert.Equal(FaceAttributes.None, first.Attributes);
        FaceSample second = result.Records[1];
        Assert.Equal(new[] { 0, 1, 10, 14 },
            Enumerable.Range(0, 15).Where(i => !second.Landmarks[i].IsMissing));
        Assert.Equal(new Landmark(40.5f, 50.25f), second.Landmarks[10]);
        using var image = second.Image.Load();
        Assert.Equal((96, 96), (image.Width, image.Height));
        byte[] pattern = KaggleCsvText.Pattern(2);
        Assert.Equal(new Rgb24(pattern[95], pattern[95], pattern[95]), image[95, 0]);
        Assert.Equal(new Rgb24(pattern[(50 * 96) + 7], pattern[(50 * 96) + 7], pattern[(50 * 96) + 7]), image[7, 50]);
    }

    [Fact]
    public void ReadTraining_ColumnsInAnotherOrder_ReadsThemByName()
    {
        string[] names = KaggleCsvText.TrainingHeader.Split(',').Reverse().ToArray();
        string[] cells = names.Select(name => name == "Image"
            ? KaggleCsvText.PixelText(KaggleCsvText.Pattern(3))
            : name == "nose_tip_x" ? "48.5" : name == "nose_tip_y" ? "60.75" : string.Empty).ToArray();
        string path = files.Write("training.csv", string.Join(',', names) + "\n" + string.Join(',', cells) + "\n");

        FaceSample sample = Assert.Single(KaggleKeypointsReader.ReadTraining(path).Records);

        Assert.Equal(new Landmark(48.5f, 60.75f), sample.Landmarks[10]);
        Assert.Equal(14, sample.Landmarks.Count(point => point.IsMissing));
    }

    [Theory]
    [InlineData("too-few-columns", "expected 31 comma-separated columns but found 30")]
    [InlineData("too-many-columns", "expected 31 comma-separated columns but found 32")]
    [InlineData("text", "column nose_tip_x holds 'nose', which is not a number")]
    [InlineData("nan", "column left_eye_center_y holds 'NaN', which is not a finite number")]
    [InlineData("one-coordinate", "mouth_left_corner gives only one of its two coordinates")]
    [InlineData("beyond-edge", "point 2 (96, 40) lies outside its 96x96 image")]
    [InlineData("negative", "point 1 (-0.5, 40) lies outside its 96x96 image")]
    [InlineData("pixel-256", "pixel 10 of the Image column exceeds 255")]
    [InlineData("pixel-letter", "the Image column holds 'x' at pixel 1")]
    [InlineData("pixel-negative", "the Image column holds '-' at pixel 1")]
    [InlineData("too-few-pixels", "the Image column holds 9215 pixels; expected 9216 (96x96)")]
    [InlineData("too-many-pixels", "the Image column holds more than 9216 pixels")]
    public void ReadTraining_BadSecondRow_ThrowsNamingFileLineAndProblem(string kind, string expected)
    {
        string path = files.Write("training.csv", string.Join("\n", KaggleCsvText.TrainingHeader,
            GoodRow(), BadRow(kind)));

        var error = Assert.Throws<InvalidDataException>(() => KaggleKeypointsReader.ReadTraining(path));

        Assert.StartsWith(path + ":3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("left_eye_center_x,Image", "the header lacks the columns left_eye_center_y, right_eye_center_x")]
    [InlineData("Image,Image", "names column 'Image' twice")]
    [InlineData("ImageId,Image", "names an unknown column 'ImageId'")]
    public void ReadTraining_BadHeader_ThrowsNamingLineOneEvenWhenLenient(string header, string expected)
    {
        string path = files.Write("training.csv", header + "\n" + GoodRow() + "\n");

        var error = Assert.Throws<InvalidDataException>(
            () => KaggleKeypointsReader.ReadTraining(path, new AnnotationReadOptions { Lenient = true }));

        Assert.StartsWith(path + ":1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTraining_Lenient_KeepsGoodRowsAndReportsEachBadOne()
    {
        string path = files.Write("training.csv", string.Join("\n", KaggleCsvText.TrainingHeader,
            BadRow("text"), GoodRow(), BadRow("too-few-pixels"), GoodRow()));

        ReadResult<FaceSample> result = KaggleKeypointsReader.ReadTraining(
            path, new AnnotationReadOptions { Lenient = true });

        Assert.Equal(new[] { 3, 5 }, result.Records.Select(sample => sample.Origin.Line));
        Assert.Equal(new[] { 2, 4 }, result.Problems.Select(problem => problem.Line));
        Assert.Contains("nose_tip_x", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("9215 pixels", result.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTest_Rows_GiveTheirIdsAndImagesWithEveryPointMissing()
    {
        string path = files.Write("test.csv", string.Join("\n", KaggleCsvText.TestHeader,
            "1," + KaggleCsvText.PixelText(KaggleCsvText.Pattern(4)),
            "2," + KaggleCsvText.PixelText(KaggleCsvText.Pattern(5))) + "\n");

        ReadResult<KaggleTestImage> result = KaggleKeypointsReader.ReadTest(path);

        Assert.Equal(new[] { 1, 2 }, result.Records.Select(test => test.ImageId));
        FaceSample second = result.Records[1].Sample;
        Assert.Equal(15, second.Landmarks.Count);
        Assert.All(second.Landmarks, point => Assert.True(point.IsMissing));
        using var image = second.Image.Load();
        Assert.Equal(KaggleCsvText.Pattern(5)[(95 * 96) + 95], image[95, 95].R);
    }

    [Theory]
    [InlineData("1", "ImageId 1 repeats line 2")]
    [InlineData("0", "column ImageId holds 0, outside the allowed range")]
    [InlineData("two", "column ImageId holds 'two', which is not an integer")]
    public void ReadTest_BadSecondId_ThrowsNamingFileLineAndProblem(string id, string expected)
    {
        string pixels = KaggleCsvText.PixelText(KaggleCsvText.Pattern(4));
        string path = files.Write("test.csv", $"{KaggleCsvText.TestHeader}\n1,{pixels}\n{id},{pixels}\n");

        var error = Assert.Throws<InvalidDataException>(() => KaggleKeypointsReader.ReadTest(path));

        Assert.StartsWith(path + ":3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLookupTable_CompetitionLayout_ReadsEveryRowWithAnEmptyLocation()
    {
        string path = files.Write("IdLookupTable.csv", KaggleCsvText.LookupHeader
            + "\n1,1,left_eye_center_x,\n2,1,left_eye_center_y,\n3,2,mouth_center_bottom_lip_y,\n");

        ReadResult<KaggleLookupRow> result = KaggleKeypointsReader.ReadLookupTable(path);

        Assert.Equal(
            new[]
            {
                new KaggleLookupRow(1, 1, "left_eye_center_x"), new KaggleLookupRow(2, 1, "left_eye_center_y"),
                new KaggleLookupRow(3, 2, "mouth_center_bottom_lip_y"),
            },
            result.Records);
    }

    [Theory]
    [InlineData("2,1,nose_tip,", "FeatureName 'nose_tip' is not a keypoint column")]
    [InlineData("1,2,nose_tip_x,", "RowId 1 repeats line 2")]
    [InlineData("2,1,nose_tip_x", "expected 4 comma-separated columns but found 3")]
    public void ReadLookupTable_BadSecondRow_ThrowsNamingFileLineAndProblem(string row, string expected)
    {
        string path = files.Write("IdLookupTable.csv", $"{KaggleCsvText.LookupHeader}\n1,1,nose_tip_y,\n{row}\n");

        var error = Assert.Throws<InvalidDataException>(() => KaggleKeypointsReader.ReadLookupTable(path));

        Assert.StartsWith(path + ":3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static string GoodRow() =>
        KaggleCsvText.TrainingRow(Enumerable.Range(0, 30).Select(i => (double?)(20 + i)).ToArray(),
            KaggleCsvText.Pattern(0));

    private static string BadRow(string kind)
    {
        double?[] coordinates = Enumerable.Range(0, 30).Select(i => (double?)(20 + i)).ToArray();
        string pixels = KaggleCsvText.PixelText(KaggleCsvText.Pattern(0));
        string[] cells = KaggleCsvText.TrainingRow(coordinates, KaggleCsvText.Pattern(0)).Split(',');
        string With(int column, string value)
        {
            cells[column] = value;
            return string.Join(',', cells);
        }

        string WithPixels(string text) => With(30, text);
        return kind switch
        {
            "too-few-columns" => string.Join(',', cells[1..]),
            "too-many-columns" => string.Join(',', cells.Prepend("1")),
            "text" => With(20, "nose"),
            "nan" => With(1, "NaN"),
            "one-coordinate" => With(23, string.Empty),
            "beyond-edge" => string.Join(',', With(2, "96").Split(',').Select((cell, i) => i == 3 ? "40" : cell)),
            "negative" => string.Join(',', With(0, "-0.5").Split(',').Select((cell, i) => i == 1 ? "40" : cell)),
            "pixel-256" => WithPixels(string.Join(' ', pixels.Split(' ').Select((p, i) => i == 9 ? "256" : p))),
            "pixel-letter" => WithPixels("x" + pixels),
            "pixel-negative" => WithPixels("-" + pixels),
            "too-few-pixels" => WithPixels(pixels[..pixels.LastIndexOf(' ')]),
            "too-many-pixels" => WithPixels(pixels + " 0"),
            _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"No bad row {kind}."),
                nameof(kind)),
        };
    }
}
