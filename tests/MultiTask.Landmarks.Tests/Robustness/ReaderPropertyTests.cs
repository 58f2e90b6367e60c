using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;
using MultiTask.Landmarks.Tests.Data;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>
/// Property-based tests of the annotation readers with CsCheck: random lines and random bytes never raise anything
/// but the documented <see cref="InvalidDataException"/>, lenient reads account for every line and never leave the
/// image root, and valid random lines round-trip through a write and a read.
/// </summary>
public sealed class ReaderPropertyTests
{
    private const int Iterations = 300;
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "mtl-property-root");

    /// <summary>Tokens that stress a parser: numbers, words, specials, path tricks, odd characters.</summary>
    private static readonly Gen<string> Token = Gen.Frequency(
        (4, Gen.Float[-500f, 1000f].Select(value => value.ToString("R", CultureInfo.InvariantCulture))),
        (3, Gen.Int[-2, 7].Select(value => value.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.OneOf(
            "NaN", "Infinity", "-Infinity", "1e39", "-0", "0x1F", "1,5", "\"", ",", "..", "/abs/a.jpg", @"C:\a.jpg",
            @"a\..\..\b.jpg", @"\\server\share", "a\0b", "\u00E9", "\uFFFD", "\t", "lfw_5590\\a.jpg", "a.jpg")),
        (2, Gen.String[Gen.Char[' ', '~'], 0, 8]));

    private static readonly Gen<string> Line = Token.Array[0, 20].Select(tokens => string.Join(' ', tokens));

    private static readonly Gen<string[]> Lines = Line.Array[0, 8];

    private static readonly AnnotationReadOptions RootOnly = new() { ImageRoot = Root };

    /// <summary>Relative image paths of one to three segments, with either separator.</summary>
    private static readonly Gen<string> RelativePath = Gen.Select(
        Gen.String[Gen.Char["abcxyz019_-"], 1, 6].Array[1, 3], Gen.Bool,
        (segments, backslash) => string.Join(backslash ? '\\' : '/', segments) + ".jpg");

    [Fact]
    public void MtflRead_RandomLines_OnlyRaiseInvalidDataAndLenientAccountsForEveryLine()
    {
        Lines.Sample(lines => CheckReader(lines, (stream, options) => MtflReader.Read(stream, "x.txt", options)),
            iter: Iterations, threads: 1, print: Show);
    }

    [Fact]
    public void CnnFacePointRead_RandomLines_OnlyRaiseInvalidDataAndLenientAccountsForEveryLine()
    {
        Lines.Sample(
            lines => CheckReader(lines, (stream, options) => CnnFacePointReader.Read(stream, "x.txt", options)),
            iter: Iterations, threads: 1, print: Show);
    }

    [Fact]
    public void MtflRead_RandomLinesOfFifteenFields_OnlyRaiseInvalidData()
    {
        // Fifteen fields pass the column count, so the number, attribute and path checks are what gets exercised.
        Token.Array[15].Select(tokens => string.Join(' ', tokens)).Array[1, 4].Sample(
            lines => CheckReader(lines, (stream, options) => MtflReader.Read(stream, "x.txt", options)),
            iter: Iterations, threads: 1, print: Show);
    }

    [Fact]
    public void MtflRead_ValidLinesWithHostilePaths_NeverResolveOutsideTheRoot()
    {
        // Everything but the path is valid, so the resolver is what decides; lenient reads keep only paths under the
        // root, strict ones raise InvalidDataException for the rest.
        Gen<string> piece = Gen.OneOf(
            "..", ".", "a", "b.jpg", "\\", "/", "\\\\", "//", "C:", "~", "\u00E9", "\0", "%2e%2e", "...", "_");
        Gen<string> hostilePath = piece.Array[1, 6].Select(string.Concat);
        hostilePath.Array[1, 6].Sample(
            paths => CheckReader(
                paths.Select(path => path + " 11 12 13 14 15 21 22 23 24 25 1 2 2 3").ToArray(),
                (stream, options) => MtflReader.Read(stream, "x.txt", options)),
            iter: Iterations, threads: 1, print: Show);
    }

    [Fact]
    public void KaggleReadTraining_RandomRows_OnlyRaiseInvalidDataAndLenientAccountsForEveryRow()
    {
        Gen<string> cell = Gen.Frequency((3, Token), (1, Gen.Const(string.Empty)));
        Gen<string> row = cell.Array[29, 32].Select(cells => string.Join(',', cells));
        row.Array[0, 4].Sample(
            rows => CheckReader(rows, (stream, options) => KaggleKeypointsReader.ReadTraining(stream, "x.csv", options),
                KaggleCsvText.TrainingHeader),
            iter: Iterations, threads: 1, print: Show);
    }

    [Fact]
    public void KaggleReadTestAndLookup_RandomRows_OnlyRaiseInvalidData()
    {
        Gen<string> row = Token.Array[1, 5].Select(cells => string.Join(',', cells));
        row.Array[0, 4].Sample(rows =>
        {
            CheckReader(rows, (stream, options) => KaggleKeypointsReader.ReadTest(stream, "t.csv", options),
                KaggleCsvText.TestHeader);
            CheckReader(rows, (stream, options) => KaggleKeypointsReader.ReadLookupTable(stream, "l.csv", options),
                KaggleCsvText.LookupHeader);
        }, iter: Iterations, threads: 1, print: Show);
    }

    [Fact]
    public void Readers_RandomBytes_OnlyRaiseInvalidData()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            foreach (bool lenient in new[] { false, true })
            {
                var options = new AnnotationReadOptions { Lenient = lenient, ImageRoot = Root };
                OnlyInvalidData(() => MtflReader.Read(new MemoryStream(bytes), "x.txt", options));
                OnlyInvalidData(() => CnnFacePointReader.Read(new MemoryStream(bytes), "x.txt", options));
                OnlyInvalidData(() => KaggleKeypointsReader.ReadTraining(new MemoryStream(bytes), "x.csv", options));
                OnlyInvalidData(() => KaggleKeypointsReader.ReadTest(new MemoryStream(bytes), "x.csv", options));
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void MtflRead_ValidRandomLines_RoundTripWithinAMillipixel()
    {
        Gen<(string Path, float[] Points, int[] Codes)> face = Gen.Select(
            RelativePath, Gen.Float[0f, 2000f].Array[10], Gen.Int[1, 2].Array[3], Gen.Int[1, 5],
            (path, points, codes, pose) => (path, points, codes.Append(pose).ToArray()));
        face.Array[1, 6].Sample(faces =>
        {
            // Written the way the real file is: 1-based, CRLF, every line after the first led by a space.
            var unique = faces.DistinctBy(f => Canonical(f.Path)).ToArray();
            string text = string.Join("\r\n", unique.Select((f, i) => (i > 0 ? " " : string.Empty) + f.Path + " "
                + string.Join(' ', f.Points.Select(v => (v + 1).ToString("R", CultureInfo.InvariantCulture)))
                + " " + string.Join(' ', f.Codes))) + "\r\n ";

            ReadResult<FaceSample> result = MtflReader.Read(
                new MemoryStream(Encoding.UTF8.GetBytes(text)), "x.txt", RootOnly);

            Assert.Equal(unique.Length, result.Records.Count);
            for (int i = 0; i < unique.Length; i++)
            {
                FaceSample sample = result.Records[i];
                Assert.Equal(Canonical(unique[i].Path), ((FileImageSource)sample.Image).Path);
                for (int p = 0; p < 5; p++)
                {
                    Assert.Equal(unique[i].Points[p], sample.Landmarks[p].X, 1e-3);
                    Assert.Equal(unique[i].Points[5 + p], sample.Landmarks[p].Y, 1e-3);
                }

                int[] c = unique[i].Codes;
                Assert.Equal(new FaceAttributes(c[0] - 1, c[1] - 1, c[2] - 1, c[3] - 1), sample.Attributes);
                Assert.Equal(i + 1, sample.Origin.Line);
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void CnnFacePointRead_ValidRandomLines_RoundTripExactly()
    {
        Gen<(string Path, float[] Box, float[] Points)> face = Gen.Select(
            RelativePath,
            Gen.Float[-100f, 1000f].Array[2],
            Gen.Float[1f, 500f].Array[2],
            Gen.Float[0f, 2000f].Array[10],
            (path, corner, size, points) => (path, new[] { corner[0], corner[1], size[0], size[1] }, points));
        face.Array[1, 6].Sample(faces =>
        {
            var unique = faces.DistinctBy(f => Canonical(f.Path)).ToArray();
            string R(float v) => v.ToString("R", CultureInfo.InvariantCulture);
            string text = string.Join("\n", unique.Select(f =>
            {
                float right = f.Box[0] + f.Box[2], bottom = f.Box[1] + f.Box[3];
                return $"{f.Path} {R(f.Box[0])} {R(right)} {R(f.Box[1])} {R(bottom)} "
                    + string.Join(' ', Enumerable.Range(0, 5).Select(p => $"{R(f.Points[p])} {R(f.Points[5 + p])}"));
            }));

            ReadResult<FaceSample> result = CnnFacePointReader.Read(
                new MemoryStream(Encoding.UTF8.GetBytes(text)), "x.txt", RootOnly);

            Assert.Equal(unique.Length, result.Records.Count);
            for (int i = 0; i < unique.Length; i++)
            {
                FaceSample sample = result.Records[i];
                (float[] box, float[] points) = (unique[i].Box, unique[i].Points);
                Assert.Equal(FaceBox.FromEdges(box[0], box[1], box[0] + box[2], box[1] + box[3]), sample.Box);
                Assert.Equal(Enumerable.Range(0, 5).Select(p => new Landmark(points[p], points[5 + p])),
                    sample.Landmarks);
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void KaggleReadTraining_ValidRandomRows_RoundTripPointsMissingMarksAndPixels()
    {
        Gen<double?> coordinate = Gen.Double[0, 95.999].Select(v => (double?)v);
        Gen<(double?[] Points, byte[] Pixels)> row = Gen.Select(
            Gen.Select(coordinate, coordinate, Gen.Bool, (x, y, missing) => missing ? new double?[2] : new[] { x, y })
                .Array[15].Select(pairs => pairs.SelectMany(pair => pair).ToArray()),
            Gen.Byte.Array[KaggleCsvText.Side * KaggleCsvText.Side]);
        row.Array[1, 3].Sample(rows =>
        {
            string text = KaggleCsvText.TrainingHeader + "\n"
                + string.Join("\n", rows.Select(r => KaggleCsvText.TrainingRow(r.Points, r.Pixels)));

            ReadResult<FaceSample> result = KaggleKeypointsReader.ReadTraining(
                new MemoryStream(Encoding.UTF8.GetBytes(text)), "training.csv");

            Assert.Equal(rows.Length, result.Records.Count);
            for (int i = 0; i < rows.Length; i++)
            {
                FaceSample sample = result.Records[i];
                for (int p = 0; p < 15; p++)
                {
                    double? x = rows[i].Points[2 * p];
                    Assert.Equal(x is null, sample.Landmarks[p].IsMissing);
                    if (x is not null)
                    {
                        Assert.Equal(x.Value, sample.Landmarks[p].X, 1e-4);
                        Assert.Equal(rows[i].Points[(2 * p) + 1]!.Value, sample.Landmarks[p].Y, 1e-4);
                    }
                }

                using var image = sample.Image.Load();
                int at = (int)((uint)rows[i].Pixels.Length * 7 / 11);
                Assert.Equal(rows[i].Pixels[at], image[at % 96, at / 96].R);
            }
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void KaggleSubmissionWrite_RandomPredictions_ReadBackAsTheClampedCoordinates()
    {
        Gen<Landmark[]> points = Gen.Select(Gen.Float[-20f, 120f], Gen.Float[-20f, 120f], (x, y) => new Landmark(x, y))
            .Array[15];
        Gen<(int ImageId, int Column)[]> lookup = Gen.Select(
            Gen.Int[1, 3], Gen.Int[0, 29], (id, column) => (id, column)).Array[1, 40];
        Gen.Select(points.Array[3], lookup).Sample((predictions, rows) =>
        {
            var byId = Enumerable.Range(0, 3).ToDictionary(i => i + 1, i => (IReadOnlyList<Landmark>)predictions[i]);
            KaggleLookupRow[] lookupRows = rows
                .Select((r, i) => new KaggleLookupRow(i + 1, r.ImageId, KaggleCsvText.KeypointNames[r.Column]))
                .ToArray();
            using var writer = new StringWriter(CultureInfo.InvariantCulture);

            KaggleSubmissionWriter.Write(writer, lookupRows, byId);

            string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("RowId,Location", lines[0]);
            Assert.Equal(rows.Length + 1, lines.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                string[] cells = lines[i + 1].Split(',');
                Landmark point = predictions[rows[i].ImageId - 1][rows[i].Column / 2];
                float expected = Math.Clamp(rows[i].Column % 2 == 0 ? point.X : point.Y, 0f, 96f);
                Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
                Assert.Equal(expected, double.Parse(cells[1], CultureInfo.InvariantCulture), 1e-5);
            }
        }, iter: Iterations, threads: 1);
    }

    private static string Canonical(string relative) =>
        Path.GetFullPath(Path.Combine(new[] { Root }.Concat(relative.Split('\\', '/')).ToArray()));

    private static string Show(string[] lines) => string.Join(" | ", lines.Select(line => Regex.Escape(line)));

    /// <summary>Strict: a result or <see cref="InvalidDataException"/>. Lenient: never throws, one record or one
    /// problem per non-blank line, and every image path under the root.</summary>
    private static void CheckReader<TRecord>(
        string[] lines, Func<Stream, AnnotationReadOptions, ReadResult<TRecord>> read, string? header = null)
    {
        string text = (header is null ? string.Empty : header + "\n") + string.Join("\n", lines);
        byte[] bytes = Encoding.UTF8.GetBytes(text);

        OnlyInvalidData(() => read(new MemoryStream(bytes), new AnnotationReadOptions { ImageRoot = Root }));

        ReadResult<TRecord> lenient = read(
            new MemoryStream(bytes), new AnnotationReadOptions { ImageRoot = Root, Lenient = true });
        int nonBlank = lines.SelectMany(line => line.Split('\r', '\n')).Count(line => !string.IsNullOrWhiteSpace(line));
        Assert.Equal(nonBlank, lenient.Records.Count + lenient.Problems.Count);
        string prefix = Path.GetFullPath(Root) + Path.DirectorySeparatorChar;
        foreach (TRecord record in lenient.Records)
        {
            if (record is FaceSample { Image: FileImageSource file })
            {
                Assert.StartsWith(prefix, file.Path, StringComparison.Ordinal);
            }
        }
    }

    private static void OnlyInvalidData(Action read)
    {
        try
        {
            read();
        }
        catch (InvalidDataException)
        {
            // The documented failure.
        }
    }

    private static void OnlyInvalidData<T>(Func<T> read) => OnlyInvalidData(() => { read(); });
}
