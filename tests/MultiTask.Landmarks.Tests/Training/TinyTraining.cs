using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Training;

/// <summary>
/// A network and a data set small enough that a whole run takes a second on one core: 16x16 grey crops, one
/// convolution and one dense stage, synthetic faces of 32x32 pixels.
/// </summary>
internal static class TinyTraining
{
    public static TrunkSpec Trunk { get; } = new("tiny", 1, 16, 16, new[]
    {
        StageSpec.Convolution("conv1", 3, 4, pool: 2),
        StageSpec.Dense("fc", 16),
    });

    public static NetworkConfig Config { get; } = new() { Trunk = Trunk, Architecture = ArchitectureKind.Shared };

    public static ColumnNetwork CreateNetwork(long seed)
    {
        torch.random.manual_seed(seed);
        return NetworkFactory.Create(Config);
    }

    public static IReadOnlyList<FaceSample> Faces(int count, int seed = 0) =>
        new SyntheticFaceGenerator(new SyntheticFaceOptions { ImageSize = 32, Seed = seed }).Generate(count);

    public static TrainerOptions Options(int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        Device = DeviceRequest.Cpu,
        CpuThreads = 1,
        DecodeParallelism = 1,
        Deterministic = true,
        LearningRate = 3e-3,
    };

    /// <summary>Copies every tensor of the state dictionary to the CPU, for comparisons after later changes.</summary>
    public static Dictionary<string, byte[]> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(
            pair => pair.Key, pair => pair.Value.cpu().bytes.ToArray(), StringComparer.Ordinal);

    public static void AssertBitwiseEqual(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach ((string key, byte[] bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[key]), $"'{key}' differs.");
        }
    }

    public static bool BitwiseEqual(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b) =>
        a.Count == b.Count
        && a.All(pair => b.TryGetValue(pair.Key, out byte[]? other) && pair.Value.AsSpan().SequenceEqual(other));
}
