using CsCheck;
using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Tests.Data.Preprocessing;

/// <summary>
/// The crop sampler's fast paths must give the bytes and floats of its general paths exactly: models are trained on
/// crops from one and used on crops from the other, and the crop store and the predictor must agree to the bit.
/// </summary>
public sealed class CropSamplerTests
{
    [Fact]
    public void SampleAxisAligned_RandomBoxesGridsAndModes_GivesTheGeneralPathsBytes()
    {
        var random = new Random(5);
        byte[] rgb = new byte[37 * 29 * 3];
        random.NextBytes(rgb);
        Gen<Affine2D> maps = Gen.Select(
            Gen.Double[0.05, 6], Gen.Double[0.05, 6], Gen.Double[-60, 60], Gen.Double[-60, 60],
            (sx, sy, x, y) => new Affine2D(sx, 0, 0, sy, x, y));

        Gen.Select(maps, Gen.Int[1, 20], Gen.Int[1, 20], Gen.Int[1, 4], Gen.Bool, Gen.Byte).Sample(
            (map, width, height, grid, grey, fill) =>
            {
                int size = (grey ? 1 : 3) * width * height;
                byte[] expected = new byte[size], actual = new byte[size];

                CropSampler.SampleAnyAffine(rgb, 37, 29, map, width, height, grid, grey, fill, expected);
                CropSampler.SampleAxisAligned(rgb, 37, 29, map, width, height, grid, grey, fill, actual);

                Assert.Equal(expected, actual);
            },
            iter: 400,
            threads: 1);
    }

    [Fact]
    public void SampleAxisAligned_CropTooWideForTheStack_GivesTheGeneralPathsBytes()
    {
        // 130 columns at a 4x4 grid are 520 column samples, past the 512 kept on the stack.
        var random = new Random(7);
        byte[] rgb = new byte[300 * 40 * 3];
        random.NextBytes(rgb);
        var map = new Affine2D(2.2, 0, 0, 3.9, -7.3, 2.1);
        byte[] expected = new byte[130 * 3], actual = new byte[130 * 3];

        CropSampler.SampleAnyAffine(rgb, 300, 40, map, 130, 3, 4, true, 17, expected);
        CropSampler.SampleAxisAligned(rgb, 300, 40, map, 130, 3, 4, true, 17, actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SampleImage_RotatedMap_StillSamplesEachPointOfTheMap()
    {
        // A quarter turn about the image's centre: crop pixel (i, j) reads image pixel (x, y) = (j', i) transposed.
        byte[] rgb = new byte[8 * 8 * 3];
        for (int p = 0; p < 64; p++)
        {
            rgb[(3 * p) + 1] = (byte)(p * 3);
        }

        var quarterTurn = new Affine2D(0, 1, 1, 0, 0, 0);
        byte[] crop = new byte[3 * 64];

        CropSampler.SampleImage(rgb, 8, 8, quarterTurn, 8, 8, grey: false, fill: 0, antialias: false, crop);

        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                // Green plane: crop (row i, column j) holds the image's (x = i, y = j).
                Assert.Equal(rgb[(3 * ((j * 8) + i)) + 1], crop[64 + (i * 8) + j]);
            }
        }
    }

    [Theory]
    [InlineData(1, 40, 40, 1f, 0f)]
    [InlineData(3, 9, 5, 1.4f, -0.1f)]
    public void SampleCrop_Identity_GivesTheInterpolatingPathsFloats(
        int channels, int width, int height, float contrast, float brightness)
    {
        var random = new Random(6);
        byte[] source = new byte[channels * width * height];
        random.NextBytes(source);
        var options = new CropOptions { Width = width, Height = height, Grayscale = channels == 1, Mean = 0.4f };
        float[] expected = new float[source.Length], actual = new float[source.Length];

        // An offset far below a pixel keeps every computed coordinate on the pixel centre, but the map no longer
        // equals the identity, so this call takes the interpolating path.
        var almostIdentity = new Affine2D(1, 0, 0, 1, 1e-300, 1e-300);
        CropSampler.SampleCrop(
            source, width, height, channels, almostIdentity, width, height, 0, contrast, brightness, options, expected);
        CropSampler.SampleCrop(
            source, width, height, channels, Affine2D.Identity, width, height, 0, contrast, brightness, options,
            actual);

        Assert.Equal(expected, actual);
    }
}
