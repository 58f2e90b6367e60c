using System.Text;
using Microsoft.Extensions.Logging;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// Reads the MTFL lists (<c>training.txt</c>, <c>testing.txt</c>): one face per line,
/// <c>path x1..x5 y1..y5 gender smile glasses pose</c>, points in the order of <see cref="LandmarkSchema.Mtfl5"/>.
/// </summary>
/// <remarks>
/// MTFL's coordinates are 1-based (MATLAB's convention); they are returned as 0-based pixels, so that they match the
/// CNN_FacePoint lists of the same images. The lists were written on Windows: paths may use backslashes, lines end in
/// CRLF and every line after the first starts with a space. Attributes are 1-based codes and are returned as the
/// zero-based classes of <see cref="FaceAttributes"/>: gender 1 male / 2 female, smile and glasses 1 yes / 2 no,
/// pose 1..5 left profile .. right profile, each minus one. MTFL gives no face box.
/// </remarks>
public static class MtflReader
{
    private const int Columns = 15;
    private const string Layout = "path x1..x5 y1..y5 gender smile glasses pose";
    private static readonly string[] AttributeColumns = { "gender", "smile", "glasses", "pose" };
    private static readonly int[] AttributeMaxima = { 2, 2, 2, 5 };

    /// <summary>Reads an MTFL list from a file.</summary>
    /// <param name="path">The list's path.</param>
    /// <param name="options">Strictness and checks; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The samples, with box <see langword="null"/>, and (lenient) the skipped lines.</returns>
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

    /// <summary>Reads an MTFL list from a stream.</summary>
    /// <param name="stream">The list's bytes (UTF-8 or ASCII); left open.</param>
    /// <param name="name">The name used in messages and, when <see cref="AnnotationReadOptions.ImageRoot"/> is not
    /// set, whose folder the image paths are relative to.</param>
    /// <param name="options">Strictness and checks; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the summary and skipped lines; <see langword="null"/> for none.</param>
    /// <returns>The samples, with box <see langword="null"/>, and (lenient) the skipped lines.</returns>
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

        var landmarks = new Landmark[5];
        for (int i = 0; i < 5; i++)
        {
            // 1-based (MATLAB) coordinates to 0-based pixels.
            float x = Fields.Number(fields[1 + i], $"x{i + 1}", origin) - 1;
            float y = Fields.Number(fields[6 + i], $"y{i + 1}", origin) - 1;
            landmarks[i] = new Landmark(x, y);
        }

        var classes = new int[4];
        for (int a = 0; a < 4; a++)
        {
            classes[a] = Fields.Integer(fields[11 + a], AttributeColumns[a], 1, AttributeMaxima[a], origin) - 1;
        }

        AnnotationSession<FaceSample>.CheckNotNegative(landmarks, origin);
        var image = new FileImageSource(resolver.Resolve(fields[0], origin));
        session.CheckImage(image, landmarks, origin);
        session.ClaimImage(image.Path, origin);
        var attributes = new FaceAttributes(classes[0], classes[1], classes[2], classes[3]);
        return new FaceSample(image, landmarks, box: null, attributes, origin);
    }
}
