using MultiTask.Landmarks.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A network that maps a batch of face crops [N, C, H, W] to one output tensor per task, keyed by the task's name:
/// [N, 2K] for landmark tasks (x0, y0, x1, y1, ... in the crop's normalised frame) and [N, C] logits for
/// classification.
/// Every architecture of the library (single task, hard sharing, split, cross-stitch) derives from it.
/// </summary>
public abstract class MultiTaskNetwork : nn.Module<Tensor, Dictionary<string, Tensor>>
{
    /// <summary>Initializes a new instance of the <see cref="MultiTaskNetwork"/> class.</summary>
    /// <param name="name">The module's name.</param>
    protected MultiTaskNetwork(string name)
        : base(name)
    {
    }

    /// <summary>Gets the tasks, in the order of the network's heads.</summary>
    public abstract IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>Gets the input shape [C, H, W] the network expects.</summary>
    public abstract long[] InputShape { get; }

    /// <summary>
    /// Gets the parameters that the optimizer should train with a boosted learning rate (the cross-stitch mixing
    /// weights); empty for architectures without them.
    /// </summary>
    /// <returns>The parameters.</returns>
    public virtual IEnumerable<TorchSharp.Modules.Parameter> BoostedParameters() =>
        Array.Empty<TorchSharp.Modules.Parameter>();

    /// <summary>
    /// Computes the network's own regularization term (the mutual weight regularization between task columns), or
    /// returns <see langword="null"/> when the network has none. The caller owns the returned tensor.
    /// </summary>
    /// <returns>A scalar tensor, or <see langword="null"/>.</returns>
    public virtual Tensor? RegularizationLoss() => null;

    /// <summary>
    /// Frees, on the calling thread, the last input gradients that the library's fused training kernels handed to
    /// libtorch during a backward pass. Those are otherwise kept until the next forward or backward pass of such a
    /// kernel, across the optimizer's step, where they fragment the native heap (docs/benchmarks.md, change 19). The
    /// library's trainer calls it after every backward pass; a training loop of one's own should call it between
    /// <c>backward()</c> and the optimizer's step. It is always safe to call, and cheap when there is nothing to free.
    /// </summary>
    public static void ReleaseBackwardBuffers() => HandedGradients.Release();

    /// <summary>
    /// Runs the network and returns every task's outputs side by side, [N, sum of the tasks' sizes] in the order of
    /// <see cref="Tasks"/> (raw: points and logits, as <see cref="nn.Module{T, TResult}.forward(T)"/> gives them),
    /// so that a caller that reads every output copies one tensor instead of one per task. The caller owns the
    /// returned tensor.
    /// </summary>
    /// <param name="input">Images [N, C, H, W] of <see cref="InputShape"/>.</param>
    /// <returns>The joined outputs.</returns>
    public virtual Tensor ForwardJoined(Tensor input)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> outputs = forward(input);
        return cat(Tasks.Select(t => outputs[t.Name]).ToArray(), 1).MoveToOuterDisposeScope();
    }
}
