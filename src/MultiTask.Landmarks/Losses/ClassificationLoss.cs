using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>Cross-entropy for attribute tasks, ignoring unknown labels.</summary>
public static class ClassificationLoss
{
    /// <summary>
    /// Computes the mean cross-entropy over the faces whose label is known. Unlike torch's <c>ignore_index</c>, a
    /// batch where every label is unknown gives 0 (with a zero gradient), not NaN.
    /// </summary>
    /// <param name="logits">Logits [N, C].</param>
    /// <param name="labels">Int64 labels [N], in 0..C-1, or -1 where unknown.</param>
    /// <returns>A scalar tensor, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2 || labels.dim() != 1 || labels.shape[0] != logits.shape[0])
        {
            throw new ArgumentException(
                $"Expected logits [N, C] and labels [N]; got [{string.Join(", ", logits.shape)}] and " +
                $"[{string.Join(", ", labels.shape)}].", nameof(logits));
        }

        using var scope = NewDisposeScope();
        Tensor known = labels.ge(0);
        Tensor safe = labels.clamp_min(0).unsqueeze(1);
        Tensor negative = -logits.log_softmax(1).gather(1, safe).squeeze(1);
        Tensor sum = where(known, negative, zeros_like(negative)).sum();
        Tensor count = known.sum().to(negative.dtype).clamp_min(1);
        return (sum / count).MoveToOuterDisposeScope();
    }
}
