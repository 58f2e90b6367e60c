using CsCheck;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Tests.Data.Preprocessing;

public sealed class CropTransformTests
{
    private const double RoundTripTolerancePx = 1e-3;

    // Boxes from 4 to 2000 pixels wide anywhere in (and partly beyond) an image up to 4000 pixels, padding from
    // -0.4 to 1, points anywhere within three box sides of the box.
    private static readonly Gen<(FaceBox Box, float Padding, double U, double V)> Geometry = Gen.Select(
        Gen.Select(Gen.Float[-500f, 4000f], Gen.Float[-500f, 4000f], Gen.Float[4f, 2000f], Gen.Float[0.5f, 2f],
            (x, y, w, aspect) => new FaceBox(x, y, w, w * aspect)),
        Gen.Float[-0.4f, 1f],
        Gen.Double[-3, 3],
        Gen.Double[-3, 3]);

    // Faces as photos hold them: boxes up to 1000 px in images up to 4000 px, points within half a side of the box.
    private static readonly Gen<(FaceBox Box, float Padding, double U, double V)> PhotoGeometry = Gen.Select(
        Gen.Select(Gen.Float[-200f, 3000f], Gen.Float[-200f, 3000f], Gen.Float[4f, 1000f], Gen.Float[0.5f, 2f],
            (x, y, w, aspect) => new FaceBox(x, y, w, w * aspect)),
        Gen.Float[-0.4f, 1f],
        Gen.Double[-0.5, 1.5],
        Gen.Double[-0.5, 1.5]);

    [Fact]
    public void FromBox_PaddedBoxCorners_MapToTheFrameCorners()
    {
        var box = new FaceBox(100, 50, 80, 120);

        CropTransform transform = CropTransform.FromBox(box, padding: 0.25f);

        // Padding 0.25 grows the box by 20 px left and right and by 30 px top and bottom.
        AssertPoint((0, 0), transform.ToCrop(80, 20), 1e-9);
        AssertPoint((1, 1), transform.ToCrop(200, 200), 1e-9);
        AssertPoint((0.5, 0.5), transform.ToCrop(box.CenterX, box.CenterY), 1e-9);
        AssertPoint((80, 200), transform.ToImage(0, 1), 1e-9);
    }

    [Fact]
    public void ToImage_OfToCrop_IsTheIdentityForRandomGeometry()
    {
        Geometry.Sample((box, padding, u, v) =>
        {
            CropTransform transform = CropTransform.FromBox(box, padding);
            double x = box.X + (u * box.Width), y = box.Y + (v * box.Height);

            (double cx, double cy) = transform.ToCrop(x, y);
            (double bx, double by) = transform.ToImage(cx, cy);

            AssertPoint((x, y), (bx, by), RoundTripTolerancePx);
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void LandmarkRoundTrip_ThroughSinglePrecision_StaysWithinAThousandthOfAPixel()
    {
        // A network predicts float32 coordinates in the normalised frame; mapping them back must not lose more than
        // 1e-3 px on photo-sized faces, i.e. float precision in the frame is enough.
        PhotoGeometry.Sample((box, padding, u, v) =>
        {
            CropTransform transform = CropTransform.FromBox(box, padding);
            var landmark = new Landmark((float)(box.X + (u * box.Width)), (float)(box.Y + (v * box.Height)));

            Landmark back = transform.ToImage(transform.ToCrop(landmark));

            AssertPoint((landmark.X, landmark.Y), (back.X, back.Y), RoundTripTolerancePx);
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void ToCrop_MissingLandmark_StaysMissing()
    {
        CropTransform transform = CropTransform.FromBox(new FaceBox(0, 0, 10, 10), 0.1f);

        Assert.True(transform.ToCrop(Landmark.Missing).IsMissing);
        Assert.True(transform.ToImage(Landmark.Missing).IsMissing);
    }

    [Theory]
    [InlineData(0f, 10f, 0.1f)]
    [InlineData(10f, -1f, 0.1f)]
    [InlineData(10f, 10f, -0.5f)]
    [InlineData(float.NaN, 10f, 0.1f)]
    public void FromBox_BadBoxOrPadding_ThrowsArgumentOutOfRange(float width, float height, float padding)
    {
        var box = new FaceBox(0, 0, width, height);

        Assert.Throws<ArgumentOutOfRangeException>(() => CropTransform.FromBox(box, padding));
    }

    [Fact]
    public void Affine_ThenInvert_ComposesToIdentity()
    {
        Gen.Select(Gen.Double[-3, 3], Gen.Double[0.1, 10], Gen.Double[-100, 100], Gen.Double[-100, 100])
            .Sample((angle, scale, dx, dy) =>
            {
                Affine2D map = Affine2D.Rotation(angle).Then(Affine2D.Scaling(scale, 1 / scale))
                    .Then(Affine2D.Translation(dx, dy));

                Affine2D identity = map.Then(map.Invert());

                AssertPoint((1, 0), (identity.M11, identity.M21), 1e-9);
                AssertPoint((0, 1), (identity.M12, identity.M22), 1e-9);
                AssertPoint((0, 0), (identity.OffsetX, identity.OffsetY), 1e-9);
            }, iter: 500, threads: 1);
    }

    private static void AssertPoint((double X, double Y) expected, (double X, double Y) actual, double tolerance)
    {
        Assert.True(
            Math.Abs(expected.X - actual.X) <= tolerance && Math.Abs(expected.Y - actual.Y) <= tolerance,
            $"Expected ({expected.X}, {expected.Y}), got ({actual.X}, {actual.Y}), tolerance {tolerance}.");
    }
}
