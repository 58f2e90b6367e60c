using System.Globalization;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Data;

/// <summary>
/// The readers on the real MTFL and CNN_FacePoint lists (read in place, never copied), checked against a tiny
/// independent parser written here and against facts about the data set. Skipped, with the reason, where the data is
/// absent. Only image headers are read, never pixels.
/// </summary>
[Trait("Category", "RealData")]
public sealed class MtflRealDataTests
{
    private const int TrainingCount = 10_000;
    private const int TestListCount = 3_466;

    [SkippableFact]
    public void MtflRead_TrainingList_ReadsAllTenThousandLinesAsTheIndependentParse()
    {
        string root = TestPaths.RequireMtfl();
        string[][] raw = RawLines(Path.Combine(root, "training.txt"));

        ReadResult<FaceSample> result = MtflReader.Read(Path.Combine(root, "training.txt"));

        Assert.Equal(TrainingCount, raw.Length);
        Assert.Equal(TrainingCount, result.Records.Count);
        Assert.Empty(result.Problems);
        for (int i = 0; i < raw.Length; i++)
        {
            FaceSample sample = result.Records[i];
            Assert.Equal(FullPath(root, raw[i][0]), ((FileImageSource)sample.Image).Path);
            for (int p = 0; p < 5; p++)
            {
                // 1-based in the file, 0-based in the sample.
                Assert.Equal(Number(raw[i][1 + p]) - 1, sample.Landmarks[p].X, 1e-4);
                Assert.Equal(Number(raw[i][6 + p]) - 1, sample.Landmarks[p].Y, 1e-4);
            }

            int[] codes = raw[i][11..15].Select(code => int.Parse(code, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(new FaceAttributes(codes[0] - 1, codes[1] - 1, codes[2] - 1, codes[3] - 1), sample.Attributes);
        }
    }

    [SkippableFact]
    public void MtflRead_TrainingList_AttributeClassesAreInRangeAndCountedAsTheFileSays()
    {
        string root = TestPaths.RequireMtfl();
        string[][] raw = RawLines(Path.Combine(root, "training.txt"));

        ReadResult<FaceSample> result = MtflReader.Read(Path.Combine(root, "training.txt"));

        for (int a = 0; a < 4; a++)
        {
            string name = FaceAttributes.AttributeNames[a];
            int classes = FaceAttributes.ClassCounts[a];
            int[] fromFile = new int[classes];
            foreach (string[] line in raw)
            {
                fromFile[int.Parse(line[11 + a], CultureInfo.InvariantCulture) - 1]++;
            }

            int[] fromReader = new int[classes];
            foreach (FaceSample sample in result.Records)
            {
                int label = sample.Attributes.Get(name);
                Assert.InRange(label, 0, classes - 1);
                fromReader[label]++;
            }

            Assert.Equal(fromFile, fromReader);
            Assert.All(fromReader, count => Assert.True(count > 0, $"{name} has an empty class."));
        }
    }

    [SkippableTheory]
    [InlineData("trainImageList.txt", TrainingCount)]
    [InlineData("testImageList.txt", TestListCount)]
    public void CnnFacePointRead_List_ReadsEveryLineWithItsBoxAsTheIndependentParse(string list, int expected)
    {
        string root = TestPaths.RequireMtfl();
        string[][] raw = RawLines(Path.Combine(root, list));

        ReadResult<FaceSample> result = CnnFacePointReader.Read(Path.Combine(root, list));

        Assert.Equal(expected, raw.Length);
        Assert.Equal(expected, result.Records.Count);
        Assert.Empty(result.Problems);
        for (int i = 0; i < raw.Length; i++)
        {
            FaceSample sample = result.Records[i];
            float[] edges = raw[i][1..5].Select(Number).ToArray();
            Assert.Equal(FaceBox.FromEdges(edges[0], edges[2], edges[1], edges[3]), sample.Box);
            Assert.True(sample.Box!.Value.Width > 0 && sample.Box.Value.Height > 0);
            for (int p = 0; p < 5; p++)
            {
                Assert.Equal(Number(raw[i][5 + (2 * p)]), sample.Landmarks[p].X, 1e-4);
                Assert.Equal(Number(raw[i][6 + (2 * p)]), sample.Landmarks[p].Y, 1e-4);
            }
        }
    }

    [SkippableFact]
    public void AttachBoxes_MtflTrainingWithTrainImageList_FindsTheBoxOfEveryImage()
    {
        string root = TestPaths.RequireMtfl();
        ReadResult<FaceSample> mtfl = MtflReader.Read(Path.Combine(root, "training.txt"));
        ReadResult<FaceSample> boxes = CnnFacePointReader.Read(Path.Combine(root, "trainImageList.txt"));
        var byPath = boxes.Records.ToDictionary(sample => ((FileImageSource)sample.Image).Path, StringComparer.Ordinal);

        ReadResult<FaceSample> joined = BoxJoin.AttachBoxes(mtfl, boxes);

        Assert.Empty(joined.Problems);
        Assert.Equal(TrainingCount, joined.Records.Count);
        foreach (FaceSample sample in joined.Records)
        {
            FaceSample listed = byPath[((FileImageSource)sample.Image).Path];
            Assert.Equal(listed.Box, sample.Box);

            // The two lists annotate the same points: MTFL's 1-based coordinates, less one, are CNN_FacePoint's.
            for (int p = 0; p < 5; p++)
            {
                Assert.Equal(listed.Landmarks[p].X, sample.Landmarks[p].X, 1e-4);
                Assert.Equal(listed.Landmarks[p].Y, sample.Landmarks[p].Y, 1e-4);
            }
        }
    }

    [SkippableTheory]
    [InlineData("training.txt")]
    [InlineData("trainImageList.txt")]
    [InlineData("testImageList.txt")]
    public void Read_EveryListWithHeaderChecks_FindsEveryImageAndEveryPointInside(string list)
    {
        string root = TestPaths.RequireMtfl();
        var options = new AnnotationReadOptions { CheckPointsInsideImage = true };

        ReadResult<FaceSample> result = list == "training.txt"
            ? MtflReader.Read(Path.Combine(root, list), options)
            : CnnFacePointReader.Read(Path.Combine(root, list), options);

        Assert.Equal(list == "testImageList.txt" ? TestListCount : TrainingCount, result.Records.Count);
        Assert.Empty(result.Problems);
    }

    [SkippableFact]
    public void ReadSize_TestListImages_HaveTheKnownSizesOfTheirFolders()
    {
        string root = TestPaths.RequireMtfl();
        string[][] raw = RawLines(Path.Combine(root, "testImageList.txt"));

        var sizes = raw.Select(line => (Folder: line[0].Split('\\')[0],
            Size: new FileImageSource(FullPath(root, line[0])).ReadSize())).ToArray();

        // lfw_5590 holds 250x250 faces; net_7876 holds 400x400 and 160x216 ones.
        Assert.All(sizes.Where(s => s.Folder == "lfw_5590"), s => Assert.Equal(new(250, 250), s.Size));
        Assert.All(sizes.Where(s => s.Folder == "net_7876"),
            s => Assert.Contains(s.Size, new SixLabors.ImageSharp.Size[] { new(400, 400), new(160, 216) }));
        Assert.Equal(raw.Length, sizes.Count(s => s.Folder is "lfw_5590" or "net_7876"));
    }

    /// <summary>The independent parser: non-blank lines split on blanks, nothing else.</summary>
    private static string[][] RawLines(string path) => File.ReadAllLines(path)
        .Where(line => line.Trim().Length > 0)
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToArray();

    private static float Number(string text) => float.Parse(text, CultureInfo.InvariantCulture);

    private static string FullPath(string root, string relative) =>
        Path.GetFullPath(Path.Combine(new[] { root }.Concat(relative.Split('\\', '/')).ToArray()));
}
