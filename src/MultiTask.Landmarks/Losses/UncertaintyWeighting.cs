using MultiTask.Landmarks.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// Uncertainty weighting (Kendall, Gal and Cipolla, CVPR 2018): each task has a learnable log-variance s, and the
/// loss is 1/2 exp(-s) L + s/2 for a regression task and exp(-s) L + s/2 for a classification task. A noisy task
/// raises its s and so lowers its weight; the s/2 term stops every s from growing without bound. The log-variances
/// are the parameter <c>log_variance</c> [T].
/// </summary>
/// <remarks>
/// Each s starts where fixed weighting would be, at ln(factor / <see cref="TaskSpec.LossWeight"/>), rather than at 0
/// as in the paper. The losses of this library differ in scale by about a thousand (a landmark MSE in the crop's unit
/// frame is near 1e-3, a cross-entropy near 0.5), and from 0 the log-variances need tens of epochs at the usual
/// learning rates to move that far, while the attribute tasks drown the landmarks in the shared trunk.
/// </remarks>
public sealed class UncertaintyWeighting : TaskWeighting
{
    [ComponentName(Name = "log_variance")]
    private readonly Parameter logVariance;

    private readonly double[] factors;

    /// <summary>Initializes a new instance of the <see cref="UncertaintyWeighting"/> class.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <exception cref="ArgumentException">There are no tasks, or a task's loss weight is not positive.</exception>
    public UncertaintyWeighting(IReadOnlyList<TaskSpec> tasks)
        : base(nameof(UncertaintyWeighting), tasks)
    {
        if (Tasks.FirstOrDefault(t => !(t.LossWeight > 0) || !float.IsFinite(t.LossWeight)) is { } bad)
        {
            throw new ArgumentException(
                $"Uncertainty weighting starts from each task's loss weight, which must be positive and finite; " +
                $"task '{bad.Name}' has {bad.LossWeight}.", nameof(tasks));
        }

        // The Gaussian likelihood of a regression task brings 1/(2 sigma^2); the softmax of a classification 1/sigma^2.
        factors = Tasks.Select(t => t.Kind == TaskKind.Landmarks ? 0.5 : 1.0).ToArray();
        double[] start = Tasks.Select((t, i) => Math.Log(factors[i] / t.LossWeight)).ToArray();
        logVariance = new Parameter(tensor(start, ScalarType.Float32));
        RegisterComponents();
    }

    /// <summary>Gets the learnable log-variances [T].</summary>
    public Parameter LogVariance => logVariance;

    /// <inheritdoc />
    public override Tensor Combine(
        IReadOnlyDictionary<string, Tensor> taskLosses, IReadOnlyList<Parameter>? sharedParameters = null)
    {
        Tensor[] losses = Ordered(taskLosses);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (int i = 0; i < losses.Length; i++)
        {
            Tensor s = logVariance[i];
            Tensor term = (s.neg().exp() * losses[i] * factors[i]) + (s * 0.5);
            total = total is null ? term : total + term;
        }

        return total!.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> CurrentWeights()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double[] s = logVariance.to(ScalarType.Float64).cpu().data<double>().ToArray();
        return ByName(s.Select((v, i) => factors[i] * Math.Exp(-v)).ToArray());
    }
}
