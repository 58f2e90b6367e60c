using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// GradNorm (Chen et al., ICML 2018): learnable task weights w (the parameter <c>weights</c> [T], starting at 1)
/// that balance the norms G_i = w_i ||grad_W L_i|| of each task's gradient on the last shared layer W, pulling each
/// towards mean(G) r_i^alpha, where r_i is the task's loss relative to its first step divided by the mean of that
/// ratio, so that tasks that learn slowly get larger gradients.
/// </summary>
/// <remarks>
/// Per step: pass the network's last shared weights (<c>ColumnNetwork.LastSharedParameters()</c>) to
/// <see cref="Combine"/>, backpropagate its result, step an optimizer that holds this module's parameters, then call
/// <see cref="AfterOptimizerStep"/>. The result is the weighted sum of the task losses (with w held constant, so the
/// network sees fixed weights) plus the balance loss sum |G_i - target_i|, whose gradient reaches w alone (the
/// gradient norms and targets are held constant, as in the paper). Computing the norms costs one extra partial
/// backward pass per task.
/// </remarks>
public sealed class GradNormWeighting : TaskWeighting
{
    [ComponentName(Name = "weights")]
    private readonly Parameter weights;

    private double[]? initialLosses;

    /// <summary>Initializes a new instance of the <see cref="GradNormWeighting"/> class.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="alpha">The restoring force's strength; the paper used 0.12 to 3, 1.5 on its main benchmark.</param>
    /// <exception cref="ArgumentException">There are no tasks.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Alpha is negative.</exception>
    public GradNormWeighting(IReadOnlyList<TaskSpec> tasks, double alpha = 1.5)
        : base(nameof(GradNormWeighting), tasks)
    {
        if (!(alpha >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be at least 0.");
        }

        Alpha = alpha;
        weights = new Parameter(ones(Tasks.Count));
        RegisterComponents();
    }

    /// <summary>Gets alpha.</summary>
    public double Alpha { get; }

    /// <summary>Gets the learnable task weights [T].</summary>
    public Parameter Weights => weights;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No shared parameters were given, or a task's loss is missing.</exception>
    public override Tensor Combine(
        IReadOnlyDictionary<string, Tensor> taskLosses, IReadOnlyList<Parameter>? sharedParameters = null)
    {
        Tensor[] losses = Ordered(taskLosses);
        if (sharedParameters is null || sharedParameters.Count == 0)
        {
            throw new ArgumentException(
                "GradNorm needs the last shared layer's weights; a network without shared layers cannot use it.",
                nameof(sharedParameters));
        }

        using var scope = NewDisposeScope();
        double[] current = losses.Select(l => l.detach().to(ScalarType.Float64).cpu().item<double>()).ToArray();
        initialLosses ??= current.Select(l => Math.Max(l, 1e-12)).ToArray();

        Tensor fixedWeights = weights.detach();
        Tensor total = (stack(losses) * fixedWeights.to(losses[0].dtype)).sum();

        var norms = new double[losses.Length];
        Tensor[] inputs = sharedParameters.Cast<Tensor>().ToArray();
        for (int i = 0; i < losses.Length; i++)
        {
            if (!losses[i].requires_grad)
            {
                continue;
            }

            IList<Tensor> gradients = autograd.grad(
                new[] { losses[i] }, inputs, retain_graph: true, allow_unused: true);
            norms[i] = Math.Sqrt(gradients.Where(g => g is not null && !g.IsInvalid)
                .Sum(g => g.detach().square().sum().to(ScalarType.Float64).cpu().item<double>()));
        }

        double[] ratios = current.Select((l, i) => l / initialLosses[i]).ToArray();
        double meanRatio = Math.Max(ratios.Average(), 1e-12);
        Tensor norm = tensor(norms, dtype: weights.dtype, device: weights.device);
        Tensor gradientNorms = weights * norm;
        double meanNorm = gradientNorms.detach().mean().to(ScalarType.Float64).cpu().item<double>();
        double[] targets = ratios.Select(r => meanNorm * Math.Pow(r / meanRatio, Alpha)).ToArray();
        Tensor target = tensor(targets, dtype: weights.dtype, device: weights.device);
        Tensor balance = (gradientNorms - target).abs().sum();

        return (total + balance.to(total.dtype)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void AfterOptimizerStep()
    {
        // The paper renormalises so that the weights sum to T after every step; the floor keeps a weight from
        // crossing zero, where its task would be trained backwards.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor floored = weights.clamp_min(1e-3);
        weights.copy_(floored * (Tasks.Count / floored.sum().to(ScalarType.Float64).cpu().item<double>()));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> CurrentWeights()
    {
        using var scope = NewDisposeScope();
        double[] values = weights.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
        return ByName(values);
    }
}
