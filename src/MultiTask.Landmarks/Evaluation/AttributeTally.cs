using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Evaluation;

/// <summary>The confusion matrices of the attribute tasks, counted label by label.</summary>
internal sealed class AttributeTally
{
    private readonly Dictionary<string, long[,]> confusions = new(StringComparer.Ordinal);
    private readonly List<string> order = new();

    public AttributeTally(IEnumerable<TaskSpec> tasks)
    {
        foreach (TaskSpec task in tasks)
        {
            if (task.Kind != TaskKind.Classification)
            {
                continue;
            }

            if (task.Size < 1)
            {
                throw new ArgumentException($"The attribute '{task.Name}' has {task.Size} classes.", nameof(tasks));
            }

            if (!confusions.TryAdd(task.Name, new long[task.Size, task.Size]))
            {
                throw new ArgumentException($"The attribute '{task.Name}' is named twice.", nameof(tasks));
            }

            order.Add(task.Name);
        }
    }

    public void Add(string name, long predicted, long truth)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!confusions.TryGetValue(name, out long[,]? confusion))
        {
            throw new ArgumentException(
                $"The attribute '{name}' was not given at construction; known: {string.Join(", ", order)}.",
                nameof(name));
        }

        int classes = confusion.GetLength(0);
        if (truth == FaceAttributes.Unknown)
        {
            return;
        }

        if (truth < 0 || truth >= classes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(truth), truth, $"Attribute '{name}' has classes 0..{classes - 1} (or -1 for unknown).");
        }

        if (predicted < 0 || predicted >= classes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(predicted), predicted, $"Attribute '{name}' has classes 0..{classes - 1}.");
        }

        confusion[truth, predicted]++;
    }

    public Dictionary<string, AttributeMetrics> ToMetrics()
    {
        var metrics = new Dictionary<string, AttributeMetrics>(StringComparer.Ordinal);
        foreach (string name in order)
        {
            long[,] c = confusions[name];
            int size = c.GetLength(0);
            long[][] rows = Enumerable.Range(0, size)
                .Select(i => Enumerable.Range(0, size).Select(j => c[i, j]).ToArray())
                .ToArray();
            metrics.Add(name, new AttributeMetrics(name, rows));
        }

        return metrics;
    }
}
