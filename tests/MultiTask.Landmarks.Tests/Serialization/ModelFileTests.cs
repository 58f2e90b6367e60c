using MultiTask.Landmarks.IO;
using System.Text.Json;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Serialization;
using MultiTask.Landmarks.Tasks;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;

namespace MultiTask.Landmarks.Tests.Serialization;

[Collection(TorchCollection.Name)]
public sealed class ModelFileTests
{
    private static readonly ModelFileHeader Header = new()
    {
        Network = Json("""{"architecture":"hard-sharing","trunk":"tcdcn","inputSize":40}"""),
        Tasks = TaskSpec.Mtfl,
        Schema = LandmarkSchema.Mtfl5,
        Preprocessing = Json("""{"grayscale":true,"size":40}"""),
        Training = Json("""{"epochs":3,"seed":7}"""),
    };

    [Fact]
    public void Read_AfterWrite_HeaderAndTensorsAreBitwiseEqual()
    {
        string path = NewPath();
        using var network = SmallNetwork.Create(1);
        SmallNetwork.Warm(network, 2);

        ModelFile.Write(path, Header, network);
        using ModelFileContents contents = ModelFile.Read(path);

        ModelFileHeader header = contents.Header;
        Assert.Equal(ModelFile.CurrentFormatVersion, header.FormatVersion);
        Assert.True(JsonElement.DeepEquals(Header.Network, header.Network), header.Network.GetRawText());
        Assert.True(JsonElement.DeepEquals(Header.Preprocessing!.Value, header.Preprocessing!.Value));
        Assert.Equal(7, header.Training!.Value.GetProperty("seed").GetInt32());
        Assert.Equal(TaskSpec.Mtfl, header.Tasks);
        Assert.Equal("mtfl-5", header.Schema.Name);
        Assert.Equal(LandmarkSchema.Mtfl5.PointNames, header.Schema.PointNames);
        Assert.Equal(LandmarkSchema.Mtfl5.MirrorPairs, header.Schema.MirrorPairs);
        Assert.NotNull(header.LibraryVersion);
        Assert.NotNull(header.CreatedUtc);
        Dictionary<string, torch.Tensor> expected = network.state_dict();
        Assert.Equal(expected.Keys.Order(), contents.Weights.Keys.Order());
        foreach ((string key, torch.Tensor tensor) in expected)
        {
            Assert.Equal(tensor.dtype, contents.Weights[key].dtype);
            Assert.Equal(tensor.shape, contents.Weights[key].shape);
            Assert.True(tensor.bytes.SequenceEqual(contents.Weights[key].bytes), $"{key} differs.");
        }
    }

    [Fact]
    public void LoadInto_FreshNetwork_GivesTheSameWeightsAndOutputs()
    {
        string path = NewPath();
        using var source = SmallNetwork.Create(1);
        SmallNetwork.Warm(source, 2);
        using var target = SmallNetwork.Create(99);
        target.eval();
        ModelFile.Write(path, Header, source);

        ModelFileHeader header = ModelFile.LoadInto(path, target);

        SmallNetwork.AssertBitwiseEqual(source, target);
        using var scope = torch.NewDisposeScope();
        torch.Tensor input = torch.randn(2, 1, 4, 4);
        Assert.True(source.forward(input).bytes.SequenceEqual(target.forward(input).bytes));
        Assert.Equal(5, header.Tasks.Count);
    }

    [Fact]
    public void Read_TruncatedFile_ThrowsNamingTheFile()
    {
        string path = WriteSample();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Read_FlippedByte_ThrowsChecksumMismatch()
    {
        string path = WriteSample();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 100] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongMagic_ThrowsNotAModelFile()
    {
        string path = NewPath();
        File.WriteAllText(path, """{"this": "is JSON, not a model file"}""");

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a MultiTask.Landmarks model file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FutureFormatVersion_ThrowsNamingTheVersion()
    {
        string path = WriteSample();
        byte[] bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), ModelFile.CurrentFormatVersion + 1);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.ReadHeader(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"format version {ModelFile.CurrentFormatVersion + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundNamingTheFile()
    {
        string path = NewPath();

        var error = Assert.Throws<FileNotFoundException>(() => ModelFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void LoadInto_ShapeMismatch_ListsTheKeysAndLeavesTheNetworkUntouched()
    {
        string path = WriteSample();
        using var target = SmallNetwork.Create(5, outputs: 4);
        using var before = SmallNetwork.Create(5, outputs: 4);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(path, target));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "fc.weight (file Float32 [3, 8], network Float32 [4, 8])", error.Message, StringComparison.Ordinal);
        Assert.Contains("fc.bias", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("conv.weight", error.Message, StringComparison.Ordinal);
        SmallNetwork.AssertBitwiseEqual(before, target);
    }

    [Fact]
    public void LoadInto_OtherArchitecture_ListsMissingAndUnexpectedKeys()
    {
        string path = WriteSample();
        using var other = torch.nn.Sequential(("fc", torch.nn.Linear(8, 3)), ("head", torch.nn.Linear(3, 1)));

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(path, other));

        Assert.Contains("missing keys head.weight, head.bias", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected keys", error.Message, StringComparison.Ordinal);
        Assert.Contains("bn.running_mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OverExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        string path = WriteSample();
        using var network = SmallNetwork.Create(3);
        var header = Header with { Training = Json("""{"epochs":10}""") };

        ModelFile.Write(path, header, network);

        Assert.Equal(10, ModelFile.ReadHeader(path).Training!.Value.GetProperty("epochs").GetInt32());
        Assert.Equal(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void AtomicWrite_FailingPartWay_KeepsThePreviousFile()
    {
        string path = WriteSample();
        byte[] original = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("Disk full (simulated).");
        }));

        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Write_HeaderWithoutNetwork_IsRejected()
    {
        using var network = SmallNetwork.Create(1);
        var header = Header with { Network = default };

        Assert.Throws<ArgumentException>(() => ModelFile.Write(NewPath(), header, network));
    }

    private static string WriteSample()
    {
        string path = NewPath();
        using var network = SmallNetwork.Create(1);
        SmallNetwork.Warm(network, 2);
        ModelFile.Write(path, Header, network);
        return path;
    }

    private static string NewPath() => Path.Combine(TestPaths.NewTemporaryFolder(), "model.mtl");

    private static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
