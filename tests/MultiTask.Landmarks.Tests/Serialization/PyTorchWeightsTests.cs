using System.IO.Compression;
using System.Text.Json;
using MultiTask.Landmarks.Serialization;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Serialization;

[Collection(TorchCollection.Name)]
public sealed class PyTorchWeightsTests
{
    [Fact]
    public void ImportSafetensors_AfterExport_IsBitwiseEqual()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.safetensors");
        using var source = SmallNetwork.Create(1);
        SmallNetwork.Warm(source, 2);
        using var target = SmallNetwork.Create(42);

        PyTorchWeights.ExportSafetensors(source, path);
        PyTorchWeights.ImportSafetensors(target, path);

        SmallNetwork.AssertBitwiseEqual(source, target);
    }

    [Fact]
    public void ExportSafetensors_WritesTheSafetensorsLayout()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.safetensors");
        using var source = SmallNetwork.Create(1);

        PyTorchWeights.ExportSafetensors(source, path);

        // safetensors: an 8-byte little-endian header length, then a JSON table of dtype, shape and data offsets.
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        JsonElement fc = header.RootElement.GetProperty("fc.weight");
        Assert.Equal("F32", fc.GetProperty("dtype").GetString());
        Assert.Equal(new[] { 3, 8 }, fc.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("I64", header.RootElement.GetProperty("bn.num_batches_tracked").GetProperty("dtype").GetString());
    }

    [Fact]
    public void ImportStateDict_AfterExport_IsBitwiseEqual()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.pt");
        using var source = SmallNetwork.Create(1);
        SmallNetwork.Warm(source, 2);
        using var target = SmallNetwork.Create(42);

        PyTorchWeights.ExportStateDict(source, path);
        PyTorchWeights.ImportStateDict(target, path);

        SmallNetwork.AssertBitwiseEqual(source, target);
    }

    [Fact]
    public void ExportStateDict_WritesPyTorchsZipLayout()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.pt");
        using var source = SmallNetwork.Create(1);

        PyTorchWeights.ExportStateDict(source, path);

        // torch.save since PyTorch 1.6: a zip with <name>/data.pkl and one <name>/data/<key> entry per storage.
        using ZipArchive zip = ZipFile.OpenRead(path);
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        Assert.Equal(
            source.state_dict().Count,
            zip.Entries.Count(e => e.FullName.Contains("/data/", StringComparison.Ordinal)));
    }

    [Fact]
    public void ImportSafetensors_ShapeMismatch_ThrowsListingTheKeys()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.safetensors");
        using var source = SmallNetwork.Create(1);
        using var target = SmallNetwork.Create(1, outputs: 2);
        PyTorchWeights.ExportSafetensors(source, path);

        var error = Assert.Throws<ModelFileException>(() => PyTorchWeights.ImportSafetensors(target, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("fc.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportStateDict_NotAPickle_ThrowsNamingTheFile()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.pt");
        File.WriteAllText(path, "not a zip");
        using var target = SmallNetwork.Create(1);

        var error = Assert.Throws<ModelFileException>(() => PyTorchWeights.ImportStateDict(target, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
