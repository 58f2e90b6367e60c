using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Data.Augmentation;

/// <summary>
/// Draws seeded augmentations and moves landmarks with them. All geometric augmentations are one affine map of the
/// crop's frame (<see cref="AugmentationParameters.Geometry"/>), applied to the landmarks and, through its inverse, to
/// the sampling grid of the image, so image and points stay together exactly. A flip also swaps each mirror pair of
/// the schema, since the subject's left eye becomes the right one, and mirrors the head pose label (a left profile
/// becomes a right one).
/// </summary>
public sealed class FaceAugmenter
{
    private const int PoseColumn = 3;
    private const int PoseClasses = 5;

    /// <summary>Initializes a new instance of the <see cref="FaceAugmenter"/> class.</summary>
    /// <param name="options">The ranges; <see langword="null"/> for <see cref="AugmentationOptions.Default"/>.</param>
    /// <param name="schema">The landmark schema whose mirror pairs a flip swaps.</param>
    /// <exception cref="ArgumentOutOfRangeException">A range is invalid.</exception>
    public FaceAugmenter(AugmentationOptions? options, LandmarkSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Options = options ?? AugmentationOptions.Default;
        Options.Validate();
        Schema = schema;
    }

    /// <summary>Gets the ranges.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>Gets the landmark schema.</summary>
    public LandmarkSchema Schema { get; }

    /// <summary>Draws one set of parameters. The same generator state gives the same parameters: every value is drawn,
    /// in a fixed order, even when its range is zero.</summary>
    /// <param name="random">The generator.</param>
    /// <returns>The parameters.</returns>
    public AugmentationParameters Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        AugmentationOptions o = Options;
        bool flip = random.NextDouble() < o.FlipProbability;
        double rotation = Symmetric(random, o.MaxRotationDegrees) * Math.PI / 180;
        double scale = 1 + Symmetric(random, o.MaxScaleChange);
        double tx = Symmetric(random, o.MaxTranslation);
        double ty = Symmetric(random, o.MaxTranslation);
        double bx = Symmetric(random, o.BoxJitter);
        double by = Symmetric(random, o.BoxJitter);
        double bw = 1 + Symmetric(random, o.BoxJitter);
        double bh = 1 + Symmetric(random, o.BoxJitter);
        float brightness = (float)Symmetric(random, o.MaxBrightness);
        float contrast = (float)(1 + Symmetric(random, o.MaxContrastChange));
        return new AugmentationParameters(flip, rotation, scale, tx, ty, bx, by, bw, bh, brightness, contrast);
    }

    /// <summary>Moves landmarks given in the unaugmented crop's normalised frame into the augmented one, swapping
    /// mirror pairs when the parameters flip.</summary>
    /// <param name="parameters">The augmentation.</param>
    /// <param name="width">The crop's width in pixels.</param>
    /// <param name="height">The crop's height in pixels.</param>
    /// <param name="points">The points, x and y interleaved (2K values).</param>
    /// <param name="mask">1 where a point is annotated, 0 where missing (K values).</param>
    /// <param name="destinationPoints">The moved points (2K values); missing ones are written as 0.</param>
    /// <param name="destinationMask">The mask in the new point order (K values).</param>
    /// <exception cref="ArgumentException">A span's length does not match the schema.</exception>
    public void TransformLandmarks(
        in AugmentationParameters parameters, int width, int height, ReadOnlySpan<float> points,
        ReadOnlySpan<float> mask, Span<float> destinationPoints, Span<float> destinationMask)
    {
        int k = Schema.Count;
        if (points.Length != 2 * k || destinationPoints.Length != 2 * k || mask.Length != k
            || destinationMask.Length != k)
        {
            throw new ArgumentException(
                $"Expected {2 * k} coordinates and {k} mask values for schema '{Schema.Name}'.");
        }

        Affine2D geometry = parameters.Geometry(width, height);
        for (int target = 0; target < k; target++)
        {
            int from = parameters.Flip ? Schema.MirrorOf(target) : target;
            destinationMask[target] = mask[from];
            if (mask[from] == 0)
            {
                destinationPoints[2 * target] = 0;
                destinationPoints[(2 * target) + 1] = 0;
                continue;
            }

            (double x, double y) = geometry.Apply(points[2 * from], points[(2 * from) + 1]);
            destinationPoints[2 * target] = (float)x;
            destinationPoints[(2 * target) + 1] = (float)y;
        }
    }

    /// <summary>Moves attribute labels with the augmentation: a flip mirrors the pose class (0..4 become 4..0); the
    /// other attributes do not change under any augmentation.</summary>
    /// <param name="parameters">The augmentation.</param>
    /// <param name="labels">The labels in the order of <see cref="FaceAttributes.AttributeNames"/>, -1 where unknown;
    /// changed in place.</param>
    /// <exception cref="ArgumentException">The span does not hold one label per attribute.</exception>
    public static void TransformAttributes(in AugmentationParameters parameters, Span<long> labels)
    {
        if (labels.Length != FaceAttributes.AttributeNames.Count)
        {
            throw new ArgumentException(
                $"Expected {FaceAttributes.AttributeNames.Count} labels, got {labels.Length}.", nameof(labels));
        }

        if (parameters.Flip && labels[PoseColumn] != FaceAttributes.Unknown)
        {
            labels[PoseColumn] = PoseClasses - 1 - labels[PoseColumn];
        }
    }

    /// <summary>Gets how many crop pixels of margin, on every side, a source crop needs so that no augmentation within
    /// the ranges samples outside it.</summary>
    /// <param name="width">The crop's width in pixels.</param>
    /// <param name="height">The crop's height in pixels.</param>
    /// <returns>The margin in pixels; at most the larger crop side.</returns>
    public int RequiredMargin(int width, int height)
    {
        AugmentationOptions o = Options;
        double growth = (1 + o.BoxJitter) / (1 - o.MaxScaleChange);
        double a = (width / 2.0) + (o.MaxTranslation * width);
        double b = (height / 2.0) + (o.MaxTranslation * height);
        double theta = Math.Min(o.MaxRotationDegrees, 90) * Math.PI / 180;
        double halfX = 0, halfY = 0;
        for (int i = 0; i <= 90; i++)
        {
            double t = theta * i / 90;
            double cos = Math.Abs(Math.Cos(t)), sin = Math.Abs(Math.Sin(t));
            halfX = Math.Max(halfX, (a * cos) + (b * sin));
            halfY = Math.Max(halfY, (a * sin) + (b * cos));
        }

        halfX = (growth * halfX) + (o.BoxJitter * width);
        halfY = (growth * halfY) + (o.BoxJitter * height);

        // One more pixel for the bilinear neighbour of the outermost sample.
        double margin = Math.Max(halfX - (width / 2.0), halfY - (height / 2.0)) + 1;
        return Math.Clamp((int)Math.Ceiling(margin - 1e-9), 0, Math.Max(width, height));
    }

    private static double Symmetric(Random random, double max) => ((2 * random.NextDouble()) - 1) * max;
}
