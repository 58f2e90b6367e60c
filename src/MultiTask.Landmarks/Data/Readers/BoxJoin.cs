using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// Gives samples without boxes (MTFL) the listed boxes of another list of the same images (CNN_FacePoint), matched
/// by the image's full path. MTFL's training set and CNN_FacePoint's <c>trainImageList.txt</c> list the same 10,000
/// images, so the join yields MTFL's attributes with a detector's boxes.
/// </summary>
public static class BoxJoin
{
    /// <summary>Attaches to each sample the box listed for its image.</summary>
    /// <param name="samples">The samples that need boxes (their own boxes, if any, are replaced).</param>
    /// <param name="boxes">Samples with listed boxes, such as a CNN_FacePoint list.</param>
    /// <param name="lenient">Whether a sample whose image has no box is kept without one and reported in
    /// <see cref="ReadResult{TRecord}.Problems"/>, instead of raising <see cref="InvalidDataException"/>.</param>
    /// <param name="logger">Where to log the summary; <see langword="null"/> for none.</param>
    /// <returns>Every sample of <paramref name="samples"/>, in order, with its box; the problems of both inputs and
    /// of the join.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">Strict mode: a sample's image has no box, or the box list gives one
    /// image two different boxes; the message names the file and line.</exception>
    public static ReadResult<FaceSample> AttachBoxes(
        ReadResult<FaceSample> samples, ReadResult<FaceSample> boxes, bool lenient = false, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(boxes);
        var problems = new List<ReadProblem>(samples.Problems);
        problems.AddRange(boxes.Problems);

        var byImage = new Dictionary<string, FaceSample>(StringComparer.Ordinal);
        foreach (FaceSample listed in boxes.Records)
        {
            if (listed.Box is null)
            {
                continue;
            }

            string key = KeyOf(listed);
            if (!byImage.TryAdd(key, listed) && byImage[key].Box != listed.Box)
            {
                string message = $"image '{key}' is listed again with another box (first at line "
                    + $"{byImage[key].Origin.Line}).";
                Report(listed.Origin, message, lenient, problems, " The first box is kept.");
            }
        }

        var joined = new List<FaceSample>(samples.Records.Count);
        int matched = 0;
        foreach (FaceSample sample in samples.Records)
        {
            if (byImage.TryGetValue(KeyOf(sample), out FaceSample? listed))
            {
                joined.Add(sample.WithBox(listed.Box));
                matched++;
            }
            else
            {
                Report(sample.Origin, $"no box for image '{KeyOf(sample)}' in {boxes.Source}.", lenient, problems,
                    " Kept without a box.");
                joined.Add(sample);
            }
        }

        ReadersLog.BoxesJoined(logger ?? NullLogger.Instance, samples.Source, boxes.Source, matched,
            samples.Records.Count, samples.Records.Count - matched);
        return new ReadResult<FaceSample>(samples.Source, joined.ToArray(), problems.ToArray());
    }

    private static string KeyOf(FaceSample sample) =>
        sample.Image is FileImageSource file ? Path.GetFullPath(file.Path) : sample.Image.Description;

    private static void Report(
        SampleOrigin origin, string message, bool lenient, List<ReadProblem> problems, string lenientOutcome)
    {
        if (!lenient)
        {
            throw new InvalidDataException($"{origin}: {message}");
        }

        problems.Add(new ReadProblem(origin, message + lenientOutcome));
    }
}
