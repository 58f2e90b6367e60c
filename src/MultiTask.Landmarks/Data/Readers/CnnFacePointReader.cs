using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// Reads the CNN_FacePoint lists (<c>trainImageList.txt</c>, <c>testImageList.txt</c>): one face per line,
/// <c>path left right top bottom x1 y1 x2 y2 ... x5 y5</c>, points in the order of <see cref="LandmarkSchema.Mtfl5"/>.
/// </summary>
/// <remarks>
/// The box is a face detector's, written in the unusual order left, RIGHT, top, bottom (not left, top, width,
/// height); its width is <c>right - left</c>. Unlike MTFL, the points are interleaved (x1 y1 x2 y2 ...) and already
/// 0-based pixels. Paths use backslashes. The lists give no attributes.
/// </remarks>
public static class CnnFacePointReader
{
    private const int Columns = 15;
    private const string Layout = "path left right top bottom x1 y1 ... x5 y5";
    private static readonly string[] BoxColumns = { "left", "right", "top", "bottom" };

    /// <summary>Reads a CNN_FacePoint list from a file.</summary>
    /// <param name="path">The list's path.</param>
    /// <param name="options">Strictness and checks; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The samples, each with its listed box, and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The list does not exist.</exception>
    /// <exception cref="InvalidDataException">Strict mode: a line is malformed (column count, a number that does not
    /// parse or is not finite, a negative point, a path that is absolute or leaves the image root, an image listed
    /// twice, bytes that are not UTF-8, or a failed image check); the message names the file, the 1-based line and
    /// what is wrong.</exception>
    public static ReadResult<FaceSample> Read(
        string path, AnnotationReadOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, options, logger);
    }

    /// <summary>Reads a CNN_FacePoint list from a stream.</summary>
    /// <param name="stream">The list's bytes (UTF-8 or ASCII); left open.</param>
    /// <param name="name">The name used in messages and, when <see cref="AnnotationReadOptions.ImageRoot"/> is not
    /// set, whose folder the image paths are relative to.</param>
    /// <param name="options">Strictness and checks; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The samples, each with its listed box, and (lenient) the skipped lines.</returns>
    /// <exception cref="ArgumentNullException">The stream is null.</exception>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    /// <exception cref="InvalidDataException">Strict mode: a line is malformed (column count, a number that does not
    /// parse or is not finite, a negative point, a path that is absolute or leaves the image root, an image listed
    /// twice, bytes that are not UTF-8, or a failed image check); the message names the file, the 1-based line and
    /// what is wrong.</exception>
    public static ReadResult<FaceSample> Read(
        Stream stream, string name, AnnotationReadOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var reader = new StreamReader(stream, Encoding.UTF8, true, bufferSize: 4096, leaveOpen: true);
        return Read(reader, name, options, logger);
    }

    private static ReadResult<FaceSample> Read(
        TextReader reader, string name, AnnotationReadOptions? options, ILogger? logger) =>
        AnnotationSession<FaceSample>.ReadImageList(reader, name, options, logger, ParseLine);

    private static FaceSample ParseLine(
        string text, SampleOrigin origin, ImagePathResolver resolver, AnnotationSession<FaceSample> session)
    {
        string[] fields = Fields.SplitBlanks(text);
        Fields.RequireCount(fields, Columns, Layout, origin);

        var edges = new float[4];
        for (int i = 0; i < 4; i++)
        {
            edges[i] = Fields.Number(fields[1 + i], BoxColumns[i], origin);
        }

        (float left, float right, float top, float bottom) = (edges[0], edges[1], edges[2], edges[3]);
        if (right <= left || bottom <= top)
        {
            string box = string.Create(CultureInfo.InvariantCulture,
                $"left {left}, right {right}, top {top}, bottom {bottom}");
            throw new InvalidDataException(
                $"{origin}: the box ({box}) is empty; expected left < right and top < bottom.");
        }

        var landmarks = new Landmark[5];
        for (int i = 0; i < 5; i++)
        {
            float x = Fields.Number(fields[5 + (2 * i)], $"x{i + 1}", origin);
            float y = Fields.Number(fields[6 + (2 * i)], $"y{i + 1}", origin);
            landmarks[i] = new Landmark(x, y);
        }

        AnnotationSession<FaceSample>.CheckNotNegative(landmarks, origin);
        var image = new FileImageSource(resolver.Resolve(fields[0], origin));
        session.CheckImage(image, landmarks, origin);
        session.ClaimImage(image.Path, origin);
        return new FaceSample(image, landmarks, FaceBox.FromEdges(left, top, right, bottom), attributes: null, origin);
    }
}
