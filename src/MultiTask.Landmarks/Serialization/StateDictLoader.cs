using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Serialization;

/// <summary>Copies loaded weights into a module after checking that every key, shape and dtype fits, so that a file
/// for another architecture fails with a list of what differs instead of a half-loaded network.</summary>
internal static class StateDictLoader
{
    private const int Listed = 10;

    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string filePath)
    {
        Dictionary<string, Tensor> expected = module.state_dict();
        var missing = expected.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var mismatched = expected
            .Where(p => weights.TryGetValue(p.Key, out Tensor? w)
                && (!w.shape.SequenceEqual(p.Value.shape) || w.dtype != p.Value.dtype))
            .Select(p => $"{p.Key} (file {Describe(weights[p.Key])}, network {Describe(p.Value)})")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var problems = new List<string>();
            AddList(problems, "missing keys", missing);
            AddList(problems, "unexpected keys", unexpected);
            AddList(problems, "mismatched tensors", mismatched);
            throw new ModelFileException(
                filePath,
                $"its weights do not fit the network '{module.GetName()}': {string.Join("; ", problems)}.");
        }

        using (no_grad())
        {
            foreach ((string key, Tensor target) in expected)
            {
                target.copy_(weights[key]);
            }
        }
    }

    private static string Describe(Tensor t) => $"{t.dtype} [{string.Join(", ", t.shape)}]";

    private static void AddList(List<string> problems, string title, List<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        string more = items.Count > Listed ? $" and {items.Count - Listed} more" : string.Empty;
        problems.Add($"{title} {string.Join(", ", items.Take(Listed))}{more}");
    }
}
