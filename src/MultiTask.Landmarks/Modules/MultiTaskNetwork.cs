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
}
