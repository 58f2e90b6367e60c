using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>Configurations, inputs and weight copies shared by the module tests.</summary>
internal static class NetworkFixtures
{
    /// <summary>Landmarks and one attribute: two columns keep the cross-stitch tests small.</summary>
    public static IReadOnlyList<TaskSpec> TwoTasks { get; } = new[]
    {
        TaskSpec.Landmarks(5),
        TaskSpec.Classification("smile", 2),
    };

    /// <summary>Every architecture the factory builds, on the given preset, with the MTFL tasks.</summary>
    public static IEnumerable<NetworkConfig> EveryArchitecture(string preset)
    {
        yield return new NetworkConfig { Preset = preset, Architecture = ArchitectureKind.SingleTask };
        yield return new NetworkConfig { Preset = preset, Architecture = ArchitectureKind.Shared };
        yield return new NetworkConfig
        {
            Preset = preset,
            Architecture = ArchitectureKind.Split,
            SplitStage = 2,
            MutualRegularization = 1,
            MutualAffine = true,
        };
        yield return new NetworkConfig
        {
            Preset = preset,
            Architecture = ArchitectureKind.Split,
            SplitStage = 0,
            TaskGroups = new[] { new[] { "landmarks" }, new[] { "gender", "smile", "glasses", "pose" } },
        };
        yield return new NetworkConfig { Preset = preset, Architecture = ArchitectureKind.CrossStitch };
        yield return new NetworkConfig
        {
            Preset = preset,
            Architecture = ArchitectureKind.CrossStitch,
            CrossStitchMode = CrossStitchMode.PerStage,
            CrossStitchStages = new[] { "conv2", "fc" },
            MutualRegularization = 0.5,
        };
    }

    /// <summary>Seeded images of the network's input shape, standard normal.</summary>
    public static Tensor Images(MultiTaskNetwork network, int count, long seed, ScalarType type = ScalarType.Float32)
    {
        long[] shape = network.InputShape;
        using var generator = new Generator((ulong)seed);
        return randn(new long[] { count, shape[0], shape[1], shape[2] }, type, generator: generator);
    }

    /// <summary>A batch of seeded images with every point and every attribute annotated.</summary>
    public static FaceBatch Batch(MultiTaskNetwork network, int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        Tensor images = Images(network, count, seed);
        Tensor landmarks = rand(new long[] { count, 5, 2 }, generator: generator);
        Tensor mask = ones(count, 5);
        Tensor[] labels = FaceAttributes.ClassCounts
            .Select(classes => randint(classes, new long[] { count, 1 }, generator: generator))
            .ToArray();
        Tensor attributes = cat(labels, 1);
        foreach (Tensor label in labels)
        {
            label.Dispose();
        }

        return new FaceBatch(images, landmarks, mask, attributes);
    }

    /// <summary>
    /// Copies <paramref name="source"/>'s tensors into <paramref name="target"/> under renamed keys: the first
    /// matching prefix of <paramref name="renames"/> (from, to) is replaced; keys that match none keep their name.
    /// </summary>
    /// <returns>The target keys that were written.</returns>
    public static HashSet<string> CopyInto(
        nn.Module source, nn.Module target, params (string From, string To)[] renames)
    {
        Dictionary<string, Tensor> targetState = target.state_dict();
        var written = new HashSet<string>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach ((string key, Tensor tensor) in source.state_dict())
        {
            string name = key;
            foreach ((string from, string to) in renames)
            {
                if (key.StartsWith(from, StringComparison.Ordinal))
                {
                    name = to + key[from.Length..];
                    break;
                }
            }

            if (targetState.TryGetValue(name, out Tensor? destination))
            {
                destination.copy_(tensor);
                written.Add(name);
            }
        }

        return written;
    }

    /// <summary>Whether two tensors have the same shape and bitwise the same values.</summary>
    public static bool BitwiseEqual(Tensor a, Tensor b)
    {
        using Tensor first = a.detach().contiguous();
        using Tensor second = b.detach().contiguous();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && first.bytes.SequenceEqual(second.bytes);
    }

    /// <summary>Asserts that two tensors hold the same floats, NaN matching NaN and a zero's sign aside (libtorch's
    /// |tanh| gradient multiplies the pooling's zeros by the input's sign, which makes -0 where it is negative).
    /// </summary>
    public static void AssertSameFloats(Tensor expected, Tensor actual, string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        float[] left = expected.contiguous().data<float>().ToArray();
        float[] right = actual.contiguous().data<float>().ToArray();
        int differing = left.Zip(right)
            .Count(p => p.First != p.Second && !(float.IsNaN(p.First) && float.IsNaN(p.Second)));
        Assert.True(differing == 0, $"{what}: {differing} of {left.Length} floats differ");
    }

    /// <summary>The largest absolute difference of two tensors of one shape.</summary>
    public static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a - b).abs().max().to(ScalarType.Float64).item<double>();
    }

    /// <summary>Disposes every tensor of a list.</summary>
    public static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (Tensor tensor in tensors)
        {
            tensor.Dispose();
        }
    }

    /// <summary>Disposes every tensor of a network's outputs.</summary>
    public static void DisposeAll(IReadOnlyDictionary<string, Tensor> tensors) => DisposeAll(tensors.Values);
}
