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
/// are the parameter <c>log_variance</c> [T], starting at 0.
/// </summary>
public sealed class UncertaintyWeighting : TaskWeighting
{
    [ComponentName(Name = "log_variance")]
    private readonly Parameter logVariance;

    private readonly double[] factors;

    /// <summary>Initializes a new instance of the <see cref="UncertaintyWeighting"/> class.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <exception cref="ArgumentException">There are no tasks.</exception>
    public UncertaintyWeighting(IReadOnlyList<TaskSpec> tasks)
        : base(nameof(UncertaintyWeighting), tasks)
    {
        // The Gaussian likelihood of a regression task brings 1/(2 sigma^2); the softmax of a classification 1/sigma^2.
        factors = Tasks.Select(t => t.Kind == TaskKind.Landmarks ? 0.5 : 1.0).ToArray();
        logVariance = new Parameter(zeros(Tasks.Count));
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
