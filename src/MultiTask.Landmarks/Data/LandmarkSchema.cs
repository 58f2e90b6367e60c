namespace MultiTask.Landmarks.Data;

/// <summary>
/// Names the landmark points of a dataset and pairs each left point with its right mirror, so that a horizontal flip
/// can swap them. Left and right are as each dataset names them: the viewer's in MTFL and CNN_FacePoint, the
/// subject's in Kaggle and iBUG. A flip swaps a pair either way.
/// </summary>
public sealed class LandmarkSchema
{
    private readonly int[] mirror;

    /// <summary>Initializes a new instance of the <see cref="LandmarkSchema"/> class.</summary>
    /// <param name="name">The schema's name.</param>
    /// <param name="pointNames">The points' names, in annotation order.</param>
    /// <param name="mirrorPairs">Pairs of point indices that swap under a horizontal flip; unpaired points map to
    /// themselves.</param>
    /// <exception cref="ArgumentException">A pair names a point outside the schema or a point twice.</exception>
    public LandmarkSchema(
        string name, IReadOnlyList<string> pointNames, IReadOnlyList<(int Left, int Right)> mirrorPairs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pointNames);
        ArgumentNullException.ThrowIfNull(mirrorPairs);
        Name = name;
        PointNames = pointNames.ToArray();
        MirrorPairs = mirrorPairs.ToArray();
        mirror = Enumerable.Range(0, PointNames.Count).ToArray();
        foreach ((int left, int right) in MirrorPairs)
        {
            if (left < 0 || right < 0 || left >= PointNames.Count || right >= PointNames.Count || left == right
                || mirror[left] != left || mirror[right] != right)
            {
                throw new ArgumentException(
                    $"Invalid mirror pair ({left}, {right}) in schema '{name}'.", nameof(mirrorPairs));
            }

            mirror[left] = right;
            mirror[right] = left;
        }
    }

    /// <summary>Gets the schema's name.</summary>
    public string Name { get; }

    /// <summary>Gets the points' names, in annotation order.</summary>
    public IReadOnlyList<string> PointNames { get; }

    /// <summary>Gets the number of points.</summary>
    public int Count => PointNames.Count;

    /// <summary>Gets the left/right pairs that swap under a horizontal flip.</summary>
    public IReadOnlyList<(int Left, int Right)> MirrorPairs { get; }

    /// <summary>Gets the index a point moves to under a horizontal flip.</summary>
    /// <param name="index">The point's index.</param>
    /// <returns>Its mirror's index, or itself when unpaired.</returns>
    public int MirrorOf(int index) => mirror[index];

    /// <summary>Gets the five points of MTFL and CNN_FacePoint: left eye, right eye, nose, left and right mouth
    /// corners. In these lists "left" is the viewer's: point 0 lies on the image's left in all 10,000 training faces.
    /// </summary>
    public static LandmarkSchema Mtfl5 { get; } = new(
        "mtfl-5",
        new[] { "left_eye", "right_eye", "nose", "mouth_left", "mouth_right" },
        new[] { (0, 1), (3, 4) });

    /// <summary>Gets the fifteen points of the Kaggle Facial Keypoints competition, in its column order.</summary>
    public static LandmarkSchema Kaggle15 { get; } = new(
        "kaggle-15",
        new[]
        {
            "left_eye_center", "right_eye_center", "left_eye_inner_corner", "left_eye_outer_corner",
            "right_eye_inner_corner", "right_eye_outer_corner", "left_eyebrow_inner_end", "left_eyebrow_outer_end",
            "right_eyebrow_inner_end", "right_eyebrow_outer_end", "nose_tip", "mouth_left_corner",
            "mouth_right_corner", "mouth_center_top_lip", "mouth_center_bottom_lip",
        },
        new[] { (0, 1), (2, 4), (3, 5), (6, 8), (7, 9), (11, 12) });

    /// <summary>Gets the 68 points of the iBUG 300-W markup (1-based point n is index n-1).</summary>
    public static LandmarkSchema Ibug68 { get; } = CreateIbug68();

    private static LandmarkSchema CreateIbug68()
    {
        var names = new List<string>(68);
        names.AddRange(Enumerable.Range(1, 17).Select(i => $"jaw_{i}"));
        names.AddRange(Enumerable.Range(1, 5).Select(i => $"right_brow_{i}"));
        names.AddRange(Enumerable.Range(1, 5).Select(i => $"left_brow_{i}"));
        names.AddRange(Enumerable.Range(1, 9).Select(i => $"nose_{i}"));
        names.AddRange(Enumerable.Range(1, 6).Select(i => $"right_eye_{i}"));
        names.AddRange(Enumerable.Range(1, 6).Select(i => $"left_eye_{i}"));
        names.AddRange(Enumerable.Range(1, 20).Select(i => $"mouth_{i}"));

        // The standard 300-W flip permutation, in 1-based point numbers.
        var pairs = new List<(int, int)>();
        for (int i = 1; i <= 8; i++)
        {
            pairs.Add((i - 1, 17 - i));
        }

        // Brows 18-22 mirror 27-23: the 1-based numbers of a pair add up to 45.
        for (int i = 18; i <= 22; i++)
        {
            pairs.Add((i - 1, 45 - i - 1));
        }

        pairs.AddRange(new[] { (32, 36), (33, 35) }.Select(p => (p.Item1 - 1, p.Item2 - 1)));
        pairs.AddRange(new[] { (37, 46), (38, 45), (39, 44), (40, 43), (41, 48), (42, 47) }
            .Select(p => (p.Item1 - 1, p.Item2 - 1)));
        pairs.AddRange(new[] { (49, 55), (50, 54), (51, 53), (60, 56), (59, 57), (61, 65), (62, 64), (68, 66) }
            .Select(p => (p.Item1 - 1, p.Item2 - 1)));
        return new LandmarkSchema("ibug-68", names, pairs);
    }
}
