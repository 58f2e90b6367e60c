using CsCheck;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tests.Data;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>
/// Damaged image files made by CsCheck from small valid ones (bytes overwritten, the file cut short): decoding either
/// gives an image of the size its header claims, or raises <see cref="InvalidDataException"/> naming the file, and
/// always finishes within the <see cref="Bounded"/> guard.
/// </summary>
public sealed class ImageFilePropertyTests : IDisposable
{
    private static readonly byte[][] Originals =
    {
        CraftedImages.Jpeg(24, 16), CraftedImages.Png(24, 16), CraftedImages.Gif(24, 16), CraftedImages.Bmp(24, 16),
    };

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Load_DamagedFiles_DecodeAtTheirSizeOrRaiseInvalidDataNamingTheFile()
    {
        Gen<(int Index, int Offset, byte Value)> damage = Gen.Select(Gen.Int[0, 100_000], Gen.Int[0, 100_000],
            Gen.Byte, (index, offset, value) => (index, offset, value));
        Gen.Select(Gen.Int[0, Originals.Length - 1], damage.Array[0, 6], Gen.Double[0.05, 1.0]).Sample(
            (format, damages, kept) =>
            {
                byte[] bytes = (byte[])Originals[format].Clone();
                foreach ((int index, int offset, byte value) in damages)
                {
                    // Offsets fall mostly into the first hundred bytes, where the headers are.
                    int at = offset % 3 == 0 ? index % bytes.Length : index % Math.Min(100, bytes.Length);
                    bytes[at] = value;
                }

                string path = files.Write($"damaged-{format}.img", bytes[..Math.Max(1, (int)(bytes.Length * kept))]);
                Bounded.Run(() =>
                {
                    try
                    {
                        using var image = new FileImageSource(path).Load();
                        Assert.True(image.Width > 0 && image.Height > 0);
                    }
                    catch (InvalidDataException error)
                    {
                        Assert.Contains(path, error.Message, StringComparison.Ordinal);
                    }

                    return 0;
                });
            },
            iter: 400, threads: 1);
    }
}
