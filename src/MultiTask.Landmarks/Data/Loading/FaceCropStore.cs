using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Preprocessing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Data.Loading;

/// <summary>
/// The decoded faces: for each sample an 8-bit planar crop of stage one of the crop path, grown by a margin that
/// covers every augmentation, with its landmarks in the unaugmented crop's normalised frame and its labels.
/// </summary>
internal sealed class FaceCropStore
{
    private readonly byte[][] crops;
    private readonly float[] points;
    private readonly float[] mask;
    private readonly long[] attributes;
    private readonly CropTransform[] transforms;

    private FaceCropStore(int count, int pointCount, CropOptions crop, int margin)
    {
        Crop = crop;
        Margin = margin;
        PointCount = pointCount;
        crops = new byte[count][];
        points = new float[count * pointCount * 2];
        mask = new float[count * pointCount];
        attributes = new long[count * FaceAttributes.AttributeNames.Count];
        transforms = new CropTransform[count];
    }

    public CropOptions Crop { get; }

    public int Margin { get; }

    public int PointCount { get; }

    public int SourceWidth => Crop.Width + (2 * Margin);

    public int SourceHeight => Crop.Height + (2 * Margin);

    public long Bytes => (long)crops.Length * Crop.Channels * SourceWidth * SourceHeight;

    public CropTransform Transform(int slot) => transforms[slot];

    public static FaceCropStore Create(int count, int pointCount, CropOptions crop, int margin) =>
        new(count, pointCount, crop, margin);

    /// <summary>Decodes, crops and stores one sample. Throws for a sample that cannot be used.</summary>
    public void Add(int slot, FaceSample sample, ImageLoadOptions loadOptions)
    {
        if (sample.Landmarks.Count != PointCount)
        {
            throw new InvalidDataException(
                $"{sample.Origin}: {sample.Landmarks.Count} landmarks, but the schema has {PointCount}.");
        }

        if (sample.Box is not FaceBox box || !(box.Width > 0) || !(box.Height > 0))
        {
            throw new InvalidDataException(
                $"{sample.Origin}: no usable face box ({sample.Box?.ToString() ?? "none"}); apply a box policy first.");
        }

        CropTransform transform = CropTransform.FromBox(box, Crop);
        int w = Crop.Width, h = Crop.Height;
        byte[] pixels = new byte[Crop.Channels * SourceWidth * SourceHeight];
        using (Image<Rgb24> image = sample.Image.Load(loadOptions))
        {
            Affine2D grid = Affine2D.Translation(-Margin, -Margin).Then(transform.CropPixelToImage(w, h));
            CropSampler.SampleImage(
                FaceCropper.RgbBytes(image), image.Width, image.Height, grid, SourceWidth, SourceHeight,
                Crop.Grayscale, Crop.FillValue, Crop.Antialias, pixels);
        }

        for (int k = 0; k < PointCount; k++)
        {
            Landmark landmark = sample.Landmarks[k];
            if (!landmark.IsMissing && !(float.IsFinite(landmark.X) && float.IsFinite(landmark.Y)))
            {
                throw new InvalidDataException($"{sample.Origin}: landmark {k} is not a finite number.");
            }

            Landmark mapped = transform.ToCrop(landmark);
            int p = (slot * PointCount) + k;
            mask[p] = landmark.IsMissing ? 0 : 1;
            points[2 * p] = landmark.IsMissing ? 0 : mapped.X;
            points[(2 * p) + 1] = landmark.IsMissing ? 0 : mapped.Y;
        }

        FaceAttributes labels = sample.Attributes;
        int a = slot * FaceAttributes.AttributeNames.Count;
        attributes[a] = labels.Gender;
        attributes[a + 1] = labels.Smile;
        attributes[a + 2] = labels.Glasses;
        attributes[a + 3] = labels.Pose;
        transforms[slot] = transform;
        crops[slot] = pixels;
    }

    /// <summary>Writes one face of a batch at position <paramref name="row"/>: stage two of the crop path through the
    /// augmentation's grid (the identity for evaluation), the moved landmarks, and the labels.</summary>
    public void Render(
        int slot, int row, in AugmentationParameters parameters, FaceAugmenter? augmenter, Span<float> images,
        Span<float> batchPoints, Span<float> batchMask, Span<long> batchAttributes)
    {
        int w = Crop.Width, h = Crop.Height, c = Crop.Channels, k = PointCount;
        bool identity = parameters == AugmentationParameters.Identity;
        Affine2D grid = Affine2D.Translation(Margin, Margin);
        if (!identity)
        {
            Affine2D geometry = parameters.Geometry(w, h);
            grid = CropTransform.PixelToNormalised(w, h)
                .Then(geometry.Invert())
                .Then(CropTransform.NormalisedToPixel(w, h))
                .Then(grid);
        }

        CropSampler.SampleCrop(
            crops[slot], SourceWidth, SourceHeight, c, grid, w, h, Crop.FillValue, parameters.Contrast,
            parameters.Brightness, Crop, images.Slice(row * c * w * h, c * w * h));

        var sourcePoints = new ReadOnlySpan<float>(points, slot * k * 2, k * 2);
        var sourceMask = new ReadOnlySpan<float>(mask, slot * k, k);
        Span<float> targetPoints = batchPoints.Slice(row * k * 2, k * 2);
        Span<float> targetMask = batchMask.Slice(row * k, k);
        if (identity || augmenter is null)
        {
            sourcePoints.CopyTo(targetPoints);
            sourceMask.CopyTo(targetMask);
        }
        else
        {
            augmenter.TransformLandmarks(parameters, w, h, sourcePoints, sourceMask, targetPoints, targetMask);
        }

        int a = FaceAttributes.AttributeNames.Count;
        Span<long> targetAttributes = batchAttributes.Slice(row * a, a);
        attributes.AsSpan(slot * a, a).CopyTo(targetAttributes);
        FaceAugmenter.TransformAttributes(parameters, targetAttributes);
    }
}
