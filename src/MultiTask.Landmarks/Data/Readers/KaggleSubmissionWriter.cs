using System.Globalization;
using System.Text;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// Writes predictions in the Kaggle Facial Keypoints submission format: a header <c>RowId,Location</c>, then one row
/// per row of <c>IdLookupTable.csv</c>, giving the requested coordinate of the requested test image.
/// </summary>
/// <remarks>
/// The competition scores the root mean squared error of pixel positions inside the 96x96 image, so a prediction
/// outside the image is clamped to [0, 96]: it can only get closer to any true position.
/// </remarks>
public static class KaggleSubmissionWriter
{
    /// <summary>Writes a submission to a file (UTF-8 without byte order mark, LF line ends).</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="lookup">The rows of <c>IdLookupTable.csv</c>.</param>
    /// <param name="predictions">The predicted 15 points (<see cref="LandmarkSchema.Kaggle15"/>) of each test image,
    /// by <c>ImageId</c>, in image pixels.</param>
    /// <exception cref="ArgumentException">The path is null or empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">A lookup row refers to an image without a prediction, or to a
    /// point predicted as missing.</exception>
    public static void Write(
        string path, IEnumerable<KaggleLookupRow> lookup, IReadOnlyDictionary<int, IReadOnlyList<Landmark>> predictions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(writer, lookup, predictions);
    }

    /// <summary>Writes a submission to a text writer.</summary>
    /// <param name="writer">Where to write; left open.</param>
    /// <param name="lookup">The rows of <c>IdLookupTable.csv</c>.</param>
    /// <param name="predictions">The predicted 15 points of each test image, by <c>ImageId</c>, in image pixels.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">A lookup row refers to an image without a prediction, or to a
    /// point predicted as missing.</exception>
    public static void Write(
        TextWriter writer,
        IEnumerable<KaggleLookupRow> lookup,
        IReadOnlyDictionary<int, IReadOnlyList<Landmark>> predictions)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(predictions);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < KaggleKeypointsReader.KeypointColumns.Count; i++)
        {
            columns[KaggleKeypointsReader.KeypointColumns[i]] = i;
        }

        writer.Write("RowId,Location\n");
        foreach (KaggleLookupRow row in lookup)
        {
            if (!columns.TryGetValue(row.FeatureName, out int column))
            {
                throw new InvalidOperationException(
                    $"Lookup row {row.RowId} asks for '{row.FeatureName}', which is not a keypoint column.");
            }

            if (!predictions.TryGetValue(row.ImageId, out IReadOnlyList<Landmark>? points)
                || points.Count != LandmarkSchema.Kaggle15.Count)
            {
                throw new InvalidOperationException($"Lookup row {row.RowId} asks for image {row.ImageId}, which has "
                    + $"no prediction of {LandmarkSchema.Kaggle15.Count} points.");
            }

            Landmark point = points[column / 2];
            if (point.IsMissing || !float.IsFinite(point.X) || !float.IsFinite(point.Y))
            {
                throw new InvalidOperationException(
                    $"Lookup row {row.RowId} asks for {row.FeatureName} of image {row.ImageId}, predicted as missing.");
            }

            float value = Math.Clamp(column % 2 == 0 ? point.X : point.Y, 0f, KaggleKeypointsReader.ImageSize);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{row.RowId},{value:0.######}\n"));
        }
    }
}
