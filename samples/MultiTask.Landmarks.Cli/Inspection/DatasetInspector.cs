using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Readers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Cli.Inspection;

/// <summary>
/// Reads a dataset leniently and checks every face the way training would use it: each listed image is decoded in
/// full through the library's image source (so a missing, unreadable, truncated, corrupt or oversized file is found,
/// not only a bad header), each point must be finite and inside its image, and each face needs a box with area.
/// </summary>
internal static class DatasetInspector
{
    private static readonly IReadOnlyDictionary<string, string[]> ClassNames = new Dictionary<string, string[]>
    {
        ["gender"] = new[] { "male", "female" },
        ["smile"] = new[] { "smiling", "not smiling" },
        ["glasses"] = new[] { "glasses", "no glasses" },
        ["pose"] = new[] { "left profile", "left", "frontal", "right", "right profile" },
    };

    public static InspectionReport Inspect(
        DatasetRequest request, ILogger logger, IProgress<(int Done, int Total)>? progress, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        LoadedDataset data = DatasetLoading.Load(request with { Lenient = true }, logger);
        var problems = new ConcurrentBag<InspectionProblem>(
            data.Problems.Select(p => new InspectionProblem(p.File, p.Line, "annotation", p.Message)));
        var reported = new HashSet<SampleOrigin>(data.Problems.Select(p => p.Origin));

        var checks = new FaceCheck?[data.Samples.Count];
        int done = 0;
        Parallel.For(0, data.Samples.Count, new ParallelOptions { CancellationToken = token }, i =>
        {
            checks[i] = Check(data.Samples[i], data.Schema, reported.Contains(data.Samples[i].Origin), problems);
            int count = Interlocked.Increment(ref done);
            if (count % 100 == 0 || count == data.Samples.Count)
            {
                progress?.Report((count, data.Samples.Count));
            }
        });

        return Summarise(data, checks, problems, clock.Elapsed.TotalSeconds);
    }

    private static FaceCheck? Check(
        FaceSample sample, LandmarkSchema schema, bool alreadyReported, ConcurrentBag<InspectionProblem> problems)
    {
        void Problem(string kind, string message) => problems.Add(new InspectionProblem(
            sample.Origin.File, sample.Origin.Line, kind, DatasetLoading.WithoutOrigin(message, sample.Origin)));

        Size size;
        bool grey;
        try
        {
            using Image<Rgb24> image = sample.Image.Load(ImageLoadOptions.Default);
            size = image.Size();
            grey = IsGrey(image);
        }
        catch (FileNotFoundException)
        {
            Problem("image", $"image file '{sample.Image.Description}' not found.");
            return null;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException
                                              or UnauthorizedAccessException)
        {
            Problem("image", exception.Message);
            return null;
        }

        bool usable = true;
        if (sample.Landmarks.Count != schema.Count)
        {
            Problem("points", $"{sample.Landmarks.Count} points, but the {schema.Name} schema has {schema.Count}.");
            usable = false;
        }

        for (int k = 0; k < sample.Landmarks.Count; k++)
        {
            Landmark p = sample.Landmarks[k];
            if (p.IsMissing)
            {
                continue;
            }

            if (!float.IsFinite(p.X) || !float.IsFinite(p.Y) || p.X < 0 || p.Y < 0 || p.X >= size.Width
                || p.Y >= size.Height)
            {
                string name = k < schema.Count ? schema.PointNames[k] : $"point {k + 1}";
                Problem("points", FormattableString.Invariant(
                    $"{name} ({p.X}, {p.Y}) lies outside its {size.Width}x{size.Height} image '{sample.Image}'."));
                usable = false;
            }
        }

        FaceBox? box = sample.Box;
        if (box is not FaceBox b || !(b.Width > 0) || !(b.Height > 0))
        {
            if (!alreadyReported)
            {
                Problem("box", $"no usable face box ({box?.ToString() ?? "none"}).");
            }

            usable = false;
        }
        else if (b.Right <= 0 || b.Bottom <= 0 || b.X >= size.Width || b.Y >= size.Height)
        {
            string where = FormattableString.Invariant($"({b.X}, {b.Y}, {b.Width}x{b.Height})");
            Problem("box", $"the box {where} lies entirely outside its {size.Width}x{size.Height} image.");
            usable = false;
        }

        return new FaceCheck(sample, size, grey, usable);
    }

    private static bool IsGrey(Image<Rgb24> image)
    {
        bool grey = true;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height && grey; y++)
            {
                foreach (Rgb24 pixel in rows.GetRowSpan(y))
                {
                    if (pixel.R != pixel.G || pixel.G != pixel.B)
                    {
                        grey = false;
                        break;
                    }
                }
            }
        });
        return grey;
    }

    private static InspectionReport Summarise(
        LoadedDataset data, FaceCheck?[] checks, IEnumerable<InspectionProblem> problems, double seconds)
    {
        FaceCheck[] decoded = checks.OfType<FaceCheck>().ToArray();
        FaceCheck[] usable = decoded.Where(c => c.Usable).ToArray();
        string[] images = data.Samples.Select(s => s.Image.Description).ToArray();
        int distinct = images.Distinct(StringComparer.Ordinal).Count();

        var attributes = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        if (data.HasAttributes)
        {
            foreach ((string name, string[] classes) in ClassNames)
            {
                attributes[name] = usable.GroupBy(c => c.Sample.Attributes.Get(name))
                    .OrderBy(g => g.Key)
                    .ToDictionary(
                        g => g.Key >= 0 && g.Key < classes.Length ? classes[g.Key] : "unknown", g => g.Count());
            }
        }

        var missing = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < data.Schema.Count; k++)
        {
            int count = usable.Count(c => k < c.Sample.Landmarks.Count && c.Sample.Landmarks[k].IsMissing);
            if (count > 0)
            {
                missing[data.Schema.PointNames[k]] = count;
            }
        }

        FaceBox[] boxes = usable.Select(c => c.Sample.Box!.Value).ToArray();
        double[] iod = usable.Where(c => data.Schema.Count == 5).Select(c => InterOcular(c.Sample)).ToArray();
        return new InspectionReport(
            data.Kind.ToString().ToLowerInvariant(),
            data.Source,
            ListedFaces(data),
            usable.Length,
            distinct,
            images.Length - distinct,
            decoded.Count(c => c.Grey),
            decoded.GroupBy(c => $"{c.Size.Width}x{c.Size.Height}").OrderByDescending(g => g.Count())
                .ToDictionary(g => g.Key, g => g.Count()),
            attributes,
            missing,
            data.BoxPolicy switch
            {
                BoxPolicy.Listed => "listed",
                BoxPolicy.FromLandmarks => "derived from the landmarks",
                _ => "whole image",
            },
            SizeStatistics.Of(boxes.Select(b => (double)b.Width).ToArray()),
            SizeStatistics.Of(boxes.Select(b => (double)b.Height).ToArray()),
            SizeStatistics.Of(iod.Where(double.IsFinite).ToArray()),
            SizeStatistics.Of(usable.Where(c => data.Schema.Count == 5)
                .Select(c => InterOcular(c.Sample) / c.Sample.Box!.Value.Width).Where(double.IsFinite).ToArray()),
            usable.Count(c => Beyond(c.Sample.Box!.Value, c.Size)),
            usable.Count(c => c.Sample.Landmarks.Any(p => !p.IsMissing && !Inside(p, c.Sample.Box!.Value))),
            problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ToArray(),
            seconds);
    }

    /// <summary>Counts the annotation list's faces: those read, and the lines that could not be.</summary>
    private static int ListedFaces(LoadedDataset data)
    {
        var read = new HashSet<SampleOrigin>(data.Samples.Select(s => s.Origin));
        return data.Samples.Count + data.Problems
            .Where(p => p.File == data.Source && !read.Contains(p.Origin))
            .Select(p => p.Origin)
            .Distinct()
            .Count();
    }

    // The MTFL schema's first two points are the eye centres.
    private static double InterOcular(FaceSample sample)
    {
        Landmark left = sample.Landmarks[0], right = sample.Landmarks[1];
        return left.IsMissing || right.IsMissing ? double.NaN : Math.Sqrt(
            ((left.X - right.X) * (left.X - right.X)) + ((left.Y - right.Y) * (left.Y - right.Y)));
    }

    private static bool Beyond(FaceBox box, Size size) =>
        box.X < 0 || box.Y < 0 || box.Right > size.Width || box.Bottom > size.Height;

    private static bool Inside(Landmark p, FaceBox box) =>
        p.X >= box.X && p.X <= box.Right && p.Y >= box.Y && p.Y <= box.Bottom;

    private sealed record FaceCheck(FaceSample Sample, Size Size, bool Grey, bool Usable);
}
