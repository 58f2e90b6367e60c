using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// The losses of one step: the total to backpropagate, each task's unweighted loss and the network's
/// regularization term. It owns its tensors; dispose it (or let the step's dispose scope do so) after the step.
/// </summary>
public sealed class MultiTaskLossResult : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="MultiTaskLossResult"/> class, taking ownership of the
    /// tensors.</summary>
    /// <param name="total">The scalar total.</param>
    /// <param name="taskLosses">Each task's scalar loss, by task name.</param>
    /// <param name="regularization">The regularization term, or <see langword="null"/>.</param>
    public MultiTaskLossResult(Tensor total, IReadOnlyDictionary<string, Tensor> taskLosses, Tensor? regularization)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(taskLosses);
        Total = total;
        TaskLosses = taskLosses;
        Regularization = regularization;
    }

    /// <summary>The key of the total in <see cref="Values"/>.</summary>
    public const string TotalKey = "total";

    /// <summary>The key of the regularization term in <see cref="Values"/>.</summary>
    public const string RegularizationKey = "regularization";

    /// <summary>Gets the scalar total to backpropagate (weighted task losses plus regularization).</summary>
    public Tensor Total { get; }

    /// <summary>Gets each task's unweighted scalar loss, by task name.</summary>
    public IReadOnlyDictionary<string, Tensor> TaskLosses { get; }

    /// <summary>Gets the network's regularization term, or <see langword="null"/>.</summary>
    public Tensor? Regularization { get; }

    /// <summary>
    /// Reads the values for logging: each task's loss by name, <see cref="TotalKey"/> and, when present,
    /// <see cref="RegularizationKey"/>. Reading synchronises with the device.
    /// </summary>
    /// <returns>The values.</returns>
    public IReadOnlyDictionary<string, double> Values()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, Tensor> pair in TaskLosses)
        {
            values[pair.Key] = Read(pair.Value);
        }

        values[TotalKey] = Read(Total);
        if (Regularization is not null)
        {
            values[RegularizationKey] = Read(Regularization);
        }

        return values;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Total.Dispose();
        foreach (Tensor loss in TaskLosses.Values)
        {
            loss.Dispose();
        }

        Regularization?.Dispose();
    }

    private static double Read(Tensor scalar)
    {
        using Tensor value = scalar.detach().to(ScalarType.Float64).cpu();
        return value.item<double>();
    }
}
