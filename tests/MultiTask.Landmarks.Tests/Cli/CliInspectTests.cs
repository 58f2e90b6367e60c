using System.Globalization;
using System.Text.Json;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using MultiTask.Landmarks.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class CliInspectTests
{
    [Fact]
    public async Task Inspect_CleanList_CountsAttributesAndReturnsZero()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string list = WriteList(folder, Line("a.png", Face(folder, "a.png", 1), gender: 1),
            Line("b.png", Face(folder, "b.png", 2), gender: 2));
        string json = Path.Combine(folder, "report.json");

        int code = await CliRun.RunAsync("inspect", "--dataset", "mtfl", "--annotations", list, "--json", json);

        Assert.Equal(0, code);
        JsonElement report = CliRun.ReadJson(json);
        Assert.Equal(2, report.GetProperty("listedFaces").GetInt32());
        Assert.Equal(2, report.GetProperty("usableFaces").GetInt32());
        Assert.Equal(0, report.GetProperty("problems").GetArrayLength());
        JsonElement gender = report.GetProperty("attributes").GetProperty("gender");
        Assert.Equal(1, gender.GetProperty("male").GetInt32());
        Assert.Equal(1, gender.GetProperty("female").GetInt32());
        Assert.Equal(2, report.GetProperty("imageSizes").GetProperty("64x64").GetInt32());
    }

    [Fact]
    public async Task Inspect_BrokenList_ReportsEachProblemWithItsLineAndReturnsTwo()
    {
        string folder = TestPaths.NewTemporaryFolder();
        Landmark[] good = Face(folder, "a.png", 1);
        byte[] corrupt = { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3 };
        await File.WriteAllBytesAsync(Path.Combine(folder, "corrupt.jpg"), corrupt);
        // Each line names its own image: a repeated path is a problem of its own (the readers refuse duplicates).
        Landmark[] other = Face(folder, "b.png", 2);
        Landmark[] outside = other.Select((p, i) => i == 2 ? new Landmark(500, p.Y) : p).ToArray();
        string list = WriteList(folder,
            Line("a.png", good, gender: 1),
            Line("missing.png", good, gender: 1),
            Line("corrupt.jpg", good, gender: 2),
            Line("b.png", outside, gender: 2),
            "c.png 1 2 3");
        string json = Path.Combine(folder, "report.json");

        int code = await CliRun.RunAsync("inspect", "--dataset", "mtfl", "--annotations", list, "--json", json);

        Assert.Equal(2, code);
        JsonElement report = CliRun.ReadJson(json);
        Assert.Equal(5, report.GetProperty("listedFaces").GetInt32());
        Assert.Equal(1, report.GetProperty("usableFaces").GetInt32());
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => (Line: p.GetProperty("line").GetInt32(), Kind: p.GetProperty("kind").GetString(),
                Message: p.GetProperty("message").GetString()!))
            .ToArray();
        Assert.Equal(new[] { 2, 3, 4, 5 }, problems.Select(p => p.Line));
        Assert.Equal(new[] { "image", "image", "points", "annotation" }, problems.Select(p => p.Kind));
        Assert.Contains("not found", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("corrupt.jpg", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("nose", problems[2].Message, StringComparison.Ordinal);
        Assert.All(report.GetProperty("problems").EnumerateArray(),
            p => Assert.Equal(list, p.GetProperty("file").GetString()));
    }

    /// <summary>Writes synthetic face number <paramref name="index"/> as a 64x64 PNG and returns its points.</summary>
    private static Landmark[] Face(string folder, string name, int index)
    {
        FaceSample face = new SyntheticFaceGenerator().GenerateFace(index);
        using Image<Rgb24> image = face.Image.Load();
        image.SaveAsPng(Path.Combine(folder, name));
        return face.Landmarks.ToArray();
    }

    /// <summary>An MTFL line: 1-based x1..x5, y1..y5, gender, smile, glasses, pose.</summary>
    private static string Line(string image, Landmark[] points, int gender) =>
        string.Join(' ', new[] { image }
            .Concat(points.Select(p => (p.X + 1).ToString("F2", CultureInfo.InvariantCulture)))
            .Concat(points.Select(p => (p.Y + 1).ToString("F2", CultureInfo.InvariantCulture)))
            .Concat(new[] { gender.ToString(CultureInfo.InvariantCulture), "1", "2", "3" }));

    private static string WriteList(string folder, params string[] lines)
    {
        string path = Path.Combine(folder, "list.txt");
        File.WriteAllLines(path, lines);
        return path;
    }
}
