using CsCheck;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Tests.Data.Preprocessing;

public sealed class FaceCropperTests
{
    [Fact]
    public void Crop_UniformColour_GivesLumaOrRgbNormalised()
    {
        byte[] rgb = Uniform(60, 50, 200, 100, 50);
        var box = new FaceBox(10, 10, 30, 30);

        FaceCrop grey = new FaceCropper(new CropOptions { Width = 8, Height = 6 }).Crop(rgb, 60, 50, box);
        FaceCrop colour = new FaceCropper(new CropOptions { Width = 8, Height = 6, Grayscale = false, Mean = 0.25f,
            Std = 2f }).Crop(rgb, 60, 50, box);

        // BT.601 luma of (200, 100, 50) is 124.2, stored as the byte 124; then (v / 255 - 0.5) / 0.5.
        Assert.Equal(48, grey.Pixels.Length);
        Assert.All(grey.Pixels, p => Assert.Equal((124 / 255f - 0.5f) / 0.5f, p, 1e-6f));
        Assert.Equal(3 * 48, colour.Pixels.Length);
        Assert.Equal(3, colour.Channels);
        Assert.All(colour.Pixels.AsSpan(0, 48).ToArray(), p => Assert.Equal((200 / 255f - 0.25f) / 2f, p, 1e-6f));
        Assert.All(colour.Pixels.AsSpan(48, 48).ToArray(), p => Assert.Equal((100 / 255f - 0.25f) / 2f, p, 1e-6f));
        Assert.All(colour.Pixels.AsSpan(96, 48).ToArray(), p => Assert.Equal((50 / 255f - 0.25f) / 2f, p, 1e-6f));
    }

    [Fact]
    public void Crop_BoxBeyondTheImage_FillsOutsidePixels()
    {
        byte[] rgb = Uniform(20, 20, 255, 255, 255);
        var options = new CropOptions { Width = 10, Height = 10, Padding = 0, FillValue = 0, Mean = 0, Std = 1 };

        // The right half of the box lies beyond the image's right edge (x = 19.5 is the last pixel's outer edge).
        FaceCrop crop = new FaceCropper(options).Crop(rgb, 20, 20, new FaceBox(10, 5, 20, 10));

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(1f, crop.Pixels[(i * 10) + 2], 1e-6f);
            Assert.Equal(0f, crop.Pixels[(i * 10) + 8], 1e-6f);
        }
    }

    [Theory]
    [InlineData(40, 40, 0.1f, 1.0)]
    [InlineData(64, 48, 0.3f, 1.3)]
    [InlineData(40, 40, 0f, 3.5)]
    public void Crop_DotUnderALandmark_LiesAtTheLandmarksCropPixel(int width, int height, float padding, double scale)
    {
        // A large box (scale px of image per crop pixel) exercises the antialiasing grid too.
        double side = width * scale / (1 + (2 * padding));
        var box = new FaceBox(17.3f, 11.6f, (float)side, (float)(side * height / width));
        var points = new[]
        {
            new Landmark(box.X + (0.3f * box.Width), box.Y + (0.35f * box.Height)),
            new Landmark(box.X + (0.71f * box.Width), box.Y + (0.62f * box.Height)),
        };
        int imageWidth = (int)(box.Right + 20), imageHeight = (int)(box.Bottom + 20);
        byte[] rgb = DotImage.Draw(imageWidth, imageHeight, points, sigma: 1.6 * scale);
        var cropper = new FaceCropper(new CropOptions { Width = width, Height = height, Padding = padding });

        FaceCrop crop = cropper.Crop(rgb, imageWidth, imageHeight, box);

        foreach (Landmark point in points)
        {
            Landmark inCrop = crop.Transform.ToCrop(point);
            double px = (inCrop.X * width) - 0.5, py = (inCrop.Y * height) - 0.5;
            (double cx, double cy) = DotImage.Centroid(crop.Pixels, width, height, px, py, radius: 5);
            Assert.True(Math.Abs(cx - px) < 0.1 && Math.Abs(cy - py) < 0.1,
                $"Dot found at ({cx:F3}, {cy:F3}), landmark maps to ({px:F3}, {py:F3}) crop pixels.");
        }
    }

    [Fact]
    public void Crop_RandomBoxesAndOptions_GiveFiniteNormalisedPixelsWithoutThrowing()
    {
        byte[] rgb = DotImage.Draw(50, 30, new[] { new Landmark(20, 12), new Landmark(40, 25) }, sigma: 3);
        Gen<FaceBox> boxes = Gen.Select(Gen.Float[-1e5f, 1e5f], Gen.Float[-1e5f, 1e5f], Gen.Float[1e-3f, 1e5f],
            Gen.Float[1e-3f, 1e5f], (x, y, w, h) => new FaceBox(x, y, w, h));
        Gen<CropOptions> options = Gen.Select(Gen.Int[1, 48], Gen.Int[1, 48], Gen.Float[-0.45f, 2f], Gen.Bool,
            (w, h, padding, grey) => new CropOptions { Width = w, Height = h, Padding = padding, Grayscale = grey });

        Gen.Select(boxes, options).Sample((box, crop) =>
        {
            FaceCrop result = new FaceCropper(crop).Crop(rgb, 50, 30, box);

            Assert.Equal(crop.Channels * crop.Width * crop.Height, result.Pixels.Length);
            Assert.All(result.Pixels, p => Assert.InRange(p, -1f, 1f));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Crop_WrongBufferLength_ThrowsArgumentException()
    {
        var cropper = new FaceCropper();

        Assert.Throws<ArgumentException>(() => cropper.Crop(new byte[10], 2, 2, new FaceBox(0, 0, 2, 2)));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceCropper(new CropOptions { Width = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceCropper(new CropOptions { Std = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaceCropper(new CropOptions { Padding = -0.5f }));
    }

    private static byte[] Uniform(int width, int height, byte r, byte g, byte b)
    {
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i += 3)
        {
            rgb[i] = r;
            rgb[i + 1] = g;
            rgb[i + 2] = b;
        }

        return rgb;
    }
}
