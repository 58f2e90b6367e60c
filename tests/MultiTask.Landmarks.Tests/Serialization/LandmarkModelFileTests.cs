using System.Text.Json;
using System.Text.Json.Nodes;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Serialization;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Tests.Training;

namespace MultiTask.Landmarks.Tests.Serialization;

[Collection(TorchCollection.Name)]
public sealed class LandmarkModelFileTests
{
    [Fact]
    public void Load_AfterSave_RebuildsTheSameNetworkPreprocessingAndSchema()
    {
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "model.mtl");
        TorchSharp.torch.random.manual_seed(4);
        using LandmarkModel saved = LandmarkModel.Create(TinyTraining.Config, padding: 0.2f);
        saved.Save(path, new { epochs = 3 });

        using LandmarkModel loaded = LandmarkModel.Load(path, DeviceRequest.Cpu);

        TinyTraining.AssertBitwiseEqual(TinyTraining.Snapshot(saved.Network), TinyTraining.Snapshot(loaded.Network));
        Assert.Equal(saved.Config.ToJson(), loaded.Config.ToJson());
        Assert.Equal(0.2f, loaded.Crop.Padding);
        Assert.Equal((16, 16, 1), (loaded.Crop.Width, loaded.Crop.Height, loaded.Crop.Channels));
        Assert.Equal(saved.Schema.PointNames, loaded.Schema.PointNames);
        Assert.Equal(saved.BoxPolicy, loaded.BoxPolicy);
        Assert.Equal(3, ModelFile.ReadHeader(path).Training!.Value.GetProperty("epochs").GetInt32());
    }

    [Fact]
    public void Load_TruncatedOrFlippedFile_ThrowsModelFileExceptionNamingTheFile()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string path = Path.Combine(folder, "model.mtl");
        using (LandmarkModel model = LandmarkModel.Create(TinyTraining.Config))
        {
            model.Save(path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(folder, "truncated.mtl");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, (bytes.Length * 2) / 3).ToArray());
        string flipped = Path.Combine(folder, "flipped.mtl");
        bytes[bytes.Length - 100] ^= 0x01;
        File.WriteAllBytes(flipped, bytes);
        string empty = Path.Combine(folder, "empty.mtl");
        File.WriteAllBytes(empty, Array.Empty<byte>());

        foreach (string broken in new[] { truncated, flipped, empty })
        {
            var error = Assert.Throws<ModelFileException>(() => LandmarkModel.Load(broken, DeviceRequest.Cpu));
            Assert.Equal(broken, error.FilePath);
            Assert.Contains(broken, error.Message, StringComparison.Ordinal);
        }

        var missing = Assert.Throws<FileNotFoundException>(
            () => LandmarkModel.Load(Path.Combine(folder, "none.mtl"), DeviceRequest.Cpu));
        Assert.Contains("none.mtl", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WeightsOfAnotherNetwork_ThrowsListingTheMismatchedKeys()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string path = Path.Combine(folder, "model.mtl");
        using (LandmarkModel model = LandmarkModel.Create(TinyTraining.Config))
        {
            model.Save(path);
        }

        // The header still describes 4 channels in conv1, but the weights come from a network with 6.
        var wider = new NetworkConfig
        {
            Trunk = TinyTraining.Trunk with
            {
                Stages = new[] { StageSpec.Convolution("conv1", 3, 6, pool: 2), StageSpec.Dense("fc", 16) },
            },
        };
        string mismatched = Path.Combine(folder, "mismatched.mtl");
        using (ColumnNetwork other = NetworkFactory.Create(wider))
        {
            ModelFile.Write(mismatched, ModelFile.ReadHeader(path), other);
        }

        var error = Assert.Throws<ModelFileException>(() => LandmarkModel.Load(mismatched, DeviceRequest.Cpu));

        Assert.Equal(mismatched, error.FilePath);
        Assert.Contains("conv1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HeaderWithUnknownPreset_ThrowsModelFileExceptionNamingTheFile()
    {
        string folder = TestPaths.NewTemporaryFolder();
        string path = Path.Combine(folder, "model.mtl");
        using (LandmarkModel model = LandmarkModel.Create(new NetworkConfig()))
        {
            model.Save(path);
        }

        ModelFileHeader header = ModelFile.ReadHeader(path);
        JsonObject network = JsonNode.Parse(header.Network.GetRawText())!.AsObject();
        network["preset"] = "no-such-trunk";
        string unknown = Path.Combine(folder, "unknown.mtl");
        using (ColumnNetwork same = NetworkFactory.Create(new NetworkConfig()))
        {
            ModelFile.Write(unknown, header with { Network = JsonSerializer.SerializeToElement(network) }, same);
        }

        var error = Assert.Throws<ModelFileException>(() => LandmarkModel.Load(unknown, DeviceRequest.Cpu));

        Assert.Equal(unknown, error.FilePath);
        Assert.Contains("no-such-trunk", error.Message, StringComparison.Ordinal);
    }
}
