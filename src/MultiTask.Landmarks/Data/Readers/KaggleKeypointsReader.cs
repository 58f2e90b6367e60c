using System.Text;
using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// Reads the Kaggle Facial Keypoints Detection files: <c>training.csv</c> (30 keypoint columns and an <c>Image</c>
/// column), <c>test.csv</c> (<c>ImageId,Image</c>) and <c>IdLookupTable.csv</c> (<c>RowId,ImageId,FeatureName,
/// Location</c>). Points follow <see cref="LandmarkSchema.Kaggle15"/>.
/// </summary>
/// <remarks>
/// Each <c>Image</c> cell holds 9,216 space-separated grey levels (0..255), a 96x96 image in row-major order; the
/// images become in-memory sources, so the samples do not refer back to the file. An empty keypoint cell means the
/// point is not annotated (most rows of the full file give only 4 of the 15 points); it becomes
/// <see cref="Landmark.Missing"/>. Coordinates are taken as 0-based pixels, as the competition gives them. Unlike the
/// CUHK lists, Kaggle's "left" is the subject's left, which appears on the right of the image.
/// </remarks>
public static class KaggleKeypointsReader
{
    /// <summary>The side of the competition's square images.</summary>
    public const int ImageSize = 96;

    private const string ImageColumn = "Image";
    private static readonly string[] TestColumns = { "ImageId", ImageColumn };
    private static readonly string[] LookupColumns = { "RowId", "ImageId", "FeatureName", "Location" };

    /// <summary>Gets the 30 keypoint column names in the competition's order (<c>left_eye_center_x</c>,
    /// <c>left_eye_center_y</c>, ...).</summary>
    public static IReadOnlyList<string> KeypointColumns { get; } = LandmarkSchema.Kaggle15.PointNames
        .SelectMany(name => new[] { name + "_x", name + "_y" })
        .ToArray();

    /// <summary>Reads <c>training.csv</c> from a file.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="options">Strictness; <see langword="null"/> for the defaults. Every point is checked against the
    /// 96x96 image whatever <see cref="AnnotationReadOptions.CheckPointsInsideImage"/> says.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The samples (no box, no attributes) and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, or (strict) a row is malformed; the message
    /// names the file, the 1-based line and what is wrong.</exception>
    public static ReadResult<FaceSample> ReadTraining(
        string path, AnnotationReadOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadTraining(reader, path, options, logger);
    }

    /// <summary>Reads <c>training.csv</c> from a stream.</summary>
    /// <param name="stream">The file's bytes; left open.</param>
    /// <param name="name">The name used in messages.</param>
    /// <param name="options">Strictness and checks; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The samples (no box, no attributes) and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentNullException">The stream is null.</exception>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, or (strict) a row is malformed; the message
    /// names the file, the 1-based line and what is wrong.</exception>
    public static ReadResult<FaceSample> ReadTraining(
        Stream stream, string name, AnnotationReadOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var reader = new StreamReader(stream, Encoding.UTF8, true, bufferSize: 65536, leaveOpen: true);
        return ReadTraining(reader, name, options, logger);
    }

    /// <summary>Reads <c>test.csv</c> from a file.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="options">Strictness; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The test images and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, or (strict) a row is malformed; the message
    /// names the file, the 1-based line and what is wrong.</exception>
    public static ReadResult<KaggleTestImage> ReadTest(
        string path, AnnotationReadOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadTest(reader, path, options, logger);
    }

    /// <summary>Reads <c>test.csv</c> from a stream.</summary>
    /// <param name="stream">The file's bytes; left open.</param>
    /// <param name="name">The name used in messages.</param>
    /// <param name="options">Strictness; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The test images and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentNullException">The stream is null.</exception>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, or (strict) a row is malformed; the message
    /// names the file, the 1-based line and what is wrong.</exception>
    public static ReadResult<KaggleTestImage> ReadTest(
        Stream stream, string name, AnnotationReadOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var reader = new StreamReader(stream, Encoding.UTF8, true, bufferSize: 65536, leaveOpen: true);
        return ReadTest(reader, name, options, logger);
    }

    /// <summary>Reads <c>IdLookupTable.csv</c> from a file.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="options">Strictness; <see langword="null"/> for the defaults.</param>
    /// <returns>The rows and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, or (strict) a row is malformed; the message
    /// names the file, the 1-based line and what is wrong.</exception>
    public static ReadResult<KaggleLookupRow> ReadLookupTable(string path, AnnotationReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadLookupTable(reader, path, options);
    }

    /// <summary>Reads <c>IdLookupTable.csv</c> from a stream.</summary>
    /// <param name="stream">The file's bytes; left open.</param>
    /// <param name="name">The name used in messages.</param>
    /// <param name="options">Strictness; <see langword="null"/> for the defaults.</param>
    /// <returns>The rows and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentNullException">The stream is null.</exception>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, or (strict) a row is malformed; the message
    /// names the file, the 1-based line and what is wrong.</exception>
    public static ReadResult<KaggleLookupRow> ReadLookupTable(
        Stream stream, string name, AnnotationReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var reader = new StreamReader(stream, Encoding.UTF8, true, bufferSize: 4096, leaveOpen: true);
        return ReadLookupTable(reader, name, options);
    }

    private static ReadResult<FaceSample> ReadTraining(
        TextReader reader, string name, AnnotationReadOptions? options, ILogger? logger)
    {
        options ??= AnnotationReadOptions.Default;
        var csv = KaggleCsv.ReadHeader(reader, name, KeypointColumns.Append(ImageColumn).ToArray());
        int[] keypointIndex = KeypointColumns.Select(csv.IndexOf).ToArray();
        int imageIndex = csv.IndexOf(ImageColumn);

        var session = new AnnotationSession<FaceSample>(name, options, logger);
        foreach ((int line, string text) in AnnotationSession<FaceSample>.Lines(reader, 1))
        {
            session.Add(line, text, origin =>
            {
                string[] fields = csv.Row(text, origin);
                var landmarks = new Landmark[LandmarkSchema.Kaggle15.Count];
                for (int i = 0; i < landmarks.Length; i++)
                {
                    landmarks[i] = Point(fields, keypointIndex, i, origin);
                }

                // The image is in the row, so its size is known and every point is checked, whatever the options.
                AnnotationSession<FaceSample>.CheckInside(landmarks, ImageSize, ImageSize, origin);

                var image = MemoryImageSource.FromGrey(Pixels(fields[imageIndex], origin), ImageSize, ImageSize,
                    origin.ToString());
                return new FaceSample(image, landmarks, box: null, attributes: null, origin);
            });
        }

        return session.Finish();
    }

    private static ReadResult<KaggleTestImage> ReadTest(
        TextReader reader, string name, AnnotationReadOptions? options, ILogger? logger)
    {
        options ??= AnnotationReadOptions.Default;
        var csv = KaggleCsv.ReadHeader(reader, name, TestColumns);
        int idIndex = csv.IndexOf("ImageId");
        int imageIndex = csv.IndexOf(ImageColumn);
        var missing = Enumerable.Repeat(Landmark.Missing, LandmarkSchema.Kaggle15.Count).ToArray();

        var session = new AnnotationSession<KaggleTestImage>(name, options, logger);
        var seen = new Dictionary<int, int>();
        foreach ((int line, string text) in AnnotationSession<KaggleTestImage>.Lines(reader, 1))
        {
            session.Add(line, text, origin =>
            {
                string[] fields = csv.Row(text, origin);
                int id = Fields.Integer(fields[idIndex], "ImageId", 1, int.MaxValue, origin);
                byte[] pixels = Pixels(fields[imageIndex], origin);

                // Claimed last, so that a skipped row does not make a later row with its id a duplicate.
                if (!seen.TryAdd(id, origin.Line))
                {
                    throw new InvalidDataException($"{origin}: ImageId {id} repeats line {seen[id]}.");
                }

                var image = MemoryImageSource.FromGrey(pixels, ImageSize, ImageSize, $"{origin} (ImageId {id})");
                return new KaggleTestImage(id, new FaceSample(image, missing, box: null, attributes: null, origin));
            });
        }

        return session.Finish();
    }

    private static ReadResult<KaggleLookupRow> ReadLookupTable(
        TextReader reader, string name, AnnotationReadOptions? options)
    {
        options ??= AnnotationReadOptions.Default;
        var csv = KaggleCsv.ReadHeader(reader, name, LookupColumns);
        int rowIndex = csv.IndexOf("RowId");
        int idIndex = csv.IndexOf("ImageId");
        int featureIndex = csv.IndexOf("FeatureName");
        var features = new HashSet<string>(KeypointColumns, StringComparer.Ordinal);

        var session = new AnnotationSession<KaggleLookupRow>(name, options, logger: null);
        var seen = new Dictionary<int, int>();
        foreach ((int line, string text) in AnnotationSession<KaggleLookupRow>.Lines(reader, 1))
        {
            session.Add(line, text, origin =>
            {
                string[] fields = csv.Row(text, origin);
                int rowId = Fields.Integer(fields[rowIndex], "RowId", 1, int.MaxValue, origin);
                int imageId = Fields.Integer(fields[idIndex], "ImageId", 1, int.MaxValue, origin);
                string feature = fields[featureIndex];
                if (!features.Contains(feature))
                {
                    throw new InvalidDataException($"{origin}: FeatureName '{feature}' is not a keypoint column.");
                }

                if (!seen.TryAdd(rowId, origin.Line))
                {
                    throw new InvalidDataException($"{origin}: RowId {rowId} repeats line {seen[rowId]}.");
                }

                return new KaggleLookupRow(rowId, imageId, feature);
            });
        }

        return session.Finish();
    }

    private static Landmark Point(string[] fields, int[] keypointIndex, int point, SampleOrigin origin)
    {
        string xText = fields[keypointIndex[2 * point]];
        string yText = fields[keypointIndex[(2 * point) + 1]];
        if (xText.Length == 0 && yText.Length == 0)
        {
            return Landmark.Missing;
        }

        if (xText.Length == 0 || yText.Length == 0)
        {
            throw new InvalidDataException(
                $"{origin}: {LandmarkSchema.Kaggle15.PointNames[point]} gives only one of its two coordinates.");
        }

        return new Landmark(
            Fields.Number(xText, KeypointColumns[2 * point], origin),
            Fields.Number(yText, KeypointColumns[(2 * point) + 1], origin));
    }

    /// <summary>Parses the space-separated grey levels of an <c>Image</c> cell without allocating a string per
    /// pixel (a full training.csv holds 65 million of them).</summary>
    private static byte[] Pixels(string text, SampleOrigin origin)
    {
        var pixels = new byte[ImageSize * ImageSize];
        int count = 0;
        int value = -1;
        foreach (char c in text)
        {
            if (c is >= '0' and <= '9')
            {
                value = value < 0 ? c - '0' : (value * 10) + (c - '0');
                if (value > 255)
                {
                    throw new InvalidDataException($"{origin}: pixel {count + 1} of the Image column exceeds 255.");
                }
            }
            else if (c == ' ')
            {
                count = value < 0 ? count : Store(pixels, count, value, origin);
                value = -1;
            }
            else
            {
                throw new InvalidDataException(
                    $"{origin}: the Image column holds '{c}' at pixel {count + 1}; expected grey levels 0..255.");
            }
        }

        count = value < 0 ? count : Store(pixels, count, value, origin);
        if (count != pixels.Length)
        {
            throw new InvalidDataException($"{origin}: the Image column holds {count} pixels; expected "
                + $"{pixels.Length} ({ImageSize}x{ImageSize}).");
        }

        return pixels;
    }

    private static int Store(byte[] pixels, int count, int value, SampleOrigin origin)
    {
        if (count >= pixels.Length)
        {
            throw new InvalidDataException($"{origin}: the Image column holds more than {pixels.Length} pixels "
                + $"({ImageSize}x{ImageSize}).");
        }

        pixels[count] = (byte)value;
        return count + 1;
    }
}
