using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SixLabors.ImageSharp;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// The strict/lenient bookkeeping that every reader shares: a line's parser throws
/// <see cref="InvalidDataException"/> whose message starts with the line's origin; a strict session lets it through,
/// a lenient one records it as a <see cref="ReadProblem"/> and goes on.
/// </summary>
/// <typeparam name="TRecord">The record type.</typeparam>
internal sealed class AnnotationSession<TRecord>
{
    private readonly List<TRecord> records = new();
    private readonly List<ReadProblem> problems = new();
    private readonly Dictionary<string, int> imageLines = new(StringComparer.Ordinal);
    private readonly ILogger logger;

    public AnnotationSession(string source, AnnotationReadOptions options, ILogger? logger)
    {
        Source = source;
        Options = options;
        this.logger = logger ?? NullLogger.Instance;
    }

    public string Source { get; }

    public AnnotationReadOptions Options { get; }

    /// <summary>Enumerates the non-blank lines with their 1-based numbers. Blank lines are skipped on purpose:
    /// MTFL's training.txt ends in a line holding a single space.</summary>
    /// <param name="reader">The text, positioned at the line numbered <paramref name="linesBefore"/> + 1.</param>
    /// <param name="linesBefore">How many lines were read before (a CSV header).</param>
    public static IEnumerable<(int Line, string Text)> Lines(TextReader reader, int linesBefore = 0)
    {
        int number = linesBefore;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            number++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return (number, text);
            }
        }
    }

    public SampleOrigin At(int line) => new(Source, line);

    /// <summary>Parses one line and keeps its record, or (lenient) records why it could not.</summary>
    public void Add(int line, string text, Func<SampleOrigin, TRecord> parse)
    {
        SampleOrigin origin = At(line);
        try
        {
            // The readers decode UTF-8 with replacement, so bytes of another encoding arrive as U+FFFD; refusing the
            // line keeps a mangled image path from failing later, far from the line that caused it.
            if (text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{origin}: the line holds bytes that are not valid UTF-8 (annotation "
                    + "files must be UTF-8 or ASCII).");
            }

            records.Add(parse(origin));
        }
        catch (InvalidDataException exception) when (Options.Lenient)
        {
            string prefix = origin + ": ";
            string message = exception.Message.StartsWith(prefix, StringComparison.Ordinal)
                ? exception.Message[prefix.Length..]
                : exception.Message;
            problems.Add(new ReadProblem(origin, message));
            ReadersLog.LineSkipped(logger, origin.ToString(), message);
        }
    }

    public ReadResult<TRecord> Finish()
    {
        ReadersLog.AnnotationsRead(logger, Source, records.Count, problems.Count);
        return new ReadResult<TRecord>(Source, records.ToArray(), problems.ToArray());
    }

    /// <summary>Checks what <see cref="AnnotationReadOptions"/> asks of a line's image file and points.</summary>
    public void CheckImage(FileImageSource image, IReadOnlyList<Landmark> landmarks, SampleOrigin origin)
    {
        if (Options.CheckPointsInsideImage)
        {
            Size size;
            try
            {
                size = image.ReadSize(Options.ImageLoadOptions);
            }
            catch (FileNotFoundException)
            {
                throw new InvalidDataException($"{origin}: image file '{image.Path}' not found.");
            }
            catch (InvalidDataException exception)
            {
                throw new InvalidDataException($"{origin}: {exception.Message}", exception);
            }

            CheckInside(landmarks, size.Width, size.Height, origin, $" '{image.Path}'");
        }
        else if (Options.CheckImagesExist && !File.Exists(image.Path))
        {
            throw new InvalidDataException($"{origin}: image file '{image.Path}' not found.");
        }
    }

    /// <summary>Refuses a second line for the same image unless
    /// <see cref="AnnotationReadOptions.AllowDuplicateImages"/> is set. Call it last in a line's parser, so that only
    /// lines that were kept claim their image.</summary>
    public void ClaimImage(string imagePath, SampleOrigin origin)
    {
        if (Options.AllowDuplicateImages)
        {
            return;
        }

        if (!imageLines.TryAdd(imagePath, origin.Line))
        {
            throw new InvalidDataException($"{origin}: image '{imagePath}' is listed again (first at line "
                + $"{imageLines[imagePath]}); set AnnotationReadOptions.AllowDuplicateImages for lists that give "
                + "several faces per image.");
        }
    }

    /// <summary>Refuses points with a negative coordinate: they lie outside every image, so no header is needed to
    /// know that the line is wrong.</summary>
    public static void CheckNotNegative(IReadOnlyList<Landmark> landmarks, SampleOrigin origin)
    {
        for (int i = 0; i < landmarks.Count; i++)
        {
            Landmark point = landmarks[i];
            if (!point.IsMissing && (point.X < 0 || point.Y < 0))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{origin}: point {i + 1} ({point.X}, {point.Y}) has a negative coordinate, outside every image."));
            }
        }
    }

    public static void CheckInside(
        IReadOnlyList<Landmark> landmarks, int width, int height, SampleOrigin origin, string imageName = "")
    {
        for (int i = 0; i < landmarks.Count; i++)
        {
            Landmark point = landmarks[i];
            if (!point.IsMissing && (point.X < 0 || point.Y < 0 || point.X >= width || point.Y >= height))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{origin}: point {i + 1} ({point.X}, {point.Y}) lies outside its {width}x{height} image"
                    + $"{imageName}."));
            }
        }
    }

    public static string ResolveRoot(string source, AnnotationReadOptions options) =>
        options.ImageRoot ?? Path.GetDirectoryName(Path.GetFullPath(source)) ?? Directory.GetCurrentDirectory();

    /// <summary>Reads a list of one image per line (MTFL, CNN_FacePoint): each line parsed against image paths
    /// resolved under the list's image root, every problem counted or thrown by the session.</summary>
    public static ReadResult<TRecord> ReadImageList(
        TextReader reader,
        string name,
        AnnotationReadOptions? options,
        ILogger? logger,
        Func<string, SampleOrigin, ImagePathResolver, AnnotationSession<TRecord>, TRecord> parse)
    {
        options ??= AnnotationReadOptions.Default;
        var session = new AnnotationSession<TRecord>(name, options, logger);
        var resolver = new ImagePathResolver(ResolveRoot(name, options));
        foreach ((int line, string text) in Lines(reader))
        {
            session.Add(line, text, origin => parse(text, origin, resolver, session));
        }

        return session.Finish();
    }
}
