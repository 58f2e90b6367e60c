using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Readers;

namespace MultiTask.Landmarks.Tests.Data;

public sealed class ImagePathResolverTests
{
    private static readonly SampleOrigin Origin = new("lists/training.txt", 42);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mtl-root");

    [Theory]
    [InlineData(@"lfw_5590\Aaron_Eckhart_0001.jpg")]
    [InlineData("lfw_5590/Aaron_Eckhart_0001.jpg")]
    [InlineData(@"lfw_5590\\Aaron_Eckhart_0001.jpg")]
    public void Resolve_BackslashOrSlash_JoinsUnderTheRoot(string relative)
    {
        string resolved = new ImagePathResolver(root).Resolve(relative, Origin);

        Assert.Equal(Path.Combine(Path.GetFullPath(root), "lfw_5590", "Aaron_Eckhart_0001.jpg"), resolved);
    }

    [Theory]
    [InlineData(@"..\secret.jpg", "..")]
    [InlineData("lfw/../../secret.jpg", "..")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData(@"\\server\share\a.jpg", "absolute")]
    [InlineData(@"C:\faces\a.jpg", "absolute")]
    [InlineData("", "empty")]
    public void Resolve_PathLeavingTheRoot_ThrowsNamingFileAndLine(string relative, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => new ImagePathResolver(root).Resolve(relative, Origin));

        Assert.StartsWith("lists/training.txt:42: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
