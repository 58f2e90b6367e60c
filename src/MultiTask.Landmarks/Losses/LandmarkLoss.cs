using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Losses;

/// <summary>
/// The landmark regression loss, masked for missing points: it is the mean of the per-coordinate penalty over the
/// coordinates of annotated points only, so a missing point contributes nothing (not even to the denominator), and
/// a batch with no annotated point gives 0.
/// </summary>
public sealed class LandmarkLoss
{
    /// <summary>Gets the penalty.</summary>
    /// <value>The default is <see cref="LandmarkLossKind.Mse"/>.</value>
    public LandmarkLossKind Kind { get; init; } = LandmarkLossKind.Mse;

    /// <summary>
    /// Gets the error, in the crop's 0..1 frame, below which smooth L1 is quadratic. Torch's default of 1 would be
    /// the whole crop, turning smooth L1 into half the MSE.
    /// </summary>
    /// <value>The default is 0.02 (about 1 pixel of a 40-pixel crop).</value>
    public double SmoothL1Beta { get; init; } = 0.02;

    /// <summary>
    /// Gets the wing loss's width w, in the crop's 0..1 frame. Feng et al. used w = 10 pixels on crops of about
    /// 128 pixels; the same share of the crop is 0.08.
    /// </summary>
    /// <value>The default is 0.08.</value>
    public double WingWidth { get; init; } = 0.08;

    /// <summary>
    /// Gets the wing loss's curvature epsilon, in the crop's 0..1 frame (2 pixels of 128 in the paper).
    /// </summary>
    /// <value>The default is 0.016.</value>
    public double WingCurvature { get; init; } = 0.016;

    /// <summary>Computes the loss.</summary>
    /// <param name="predicted">Predictions [N, 2K]: x0, y0, x1, y1, ...</param>
    /// <param name="target">Targets [N, K, 2].</param>
    /// <param name="mask">Float [N, K]: 1 where the point is annotated.</param>
    /// <returns>A scalar tensor, owned by the caller.</returns>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public Tensor Compute(Tensor predicted, Tensor target, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(mask);
        if (target.dim() != 3 || target.shape[2] != 2 || mask.dim() != 2 || mask.shape[0] != target.shape[0]
            || mask.shape[1] != target.shape[1] || predicted.dim() != 2 || predicted.shape[0] != target.shape[0]
            || predicted.shape[1] != target.shape[1] * 2)
        {
            throw new ArgumentException(
                $"Expected predictions [N, 2K], targets [N, K, 2] and a mask [N, K]; " +
                $"got [{string.Join(", ", predicted.shape)}]" +
                $", [{string.Join(", ", target.shape)}] and [{string.Join(", ", mask.shape)}].", nameof(predicted));
        }

        using var scope = NewDisposeScope();
        Tensor error = predicted.reshape(target.shape) - target;
        Tensor penalty = Kind switch
        {
            LandmarkLossKind.L1 => error.abs(),
            LandmarkLossKind.SmoothL1 => SmoothL1(error),
            LandmarkLossKind.Wing => Wing(error),
            _ => error.square(),
        };

        // where() rather than a product: a missing point's target may be NaN, and NaN * 0 is NaN.
        Tensor present = mask.unsqueeze(-1).expand(target.shape).gt(0);
        Tensor sum = where(present, penalty, zeros_like(penalty)).sum();
        Tensor count = present.sum().to(penalty.dtype).clamp_min(1);
        return (sum / count).MoveToOuterDisposeScope();
    }

    private Tensor SmoothL1(Tensor error)
    {
        Tensor absolute = error.abs();
        return where(
            absolute.lt(SmoothL1Beta), absolute.square() * (0.5 / SmoothL1Beta), absolute - (0.5 * SmoothL1Beta));
    }

    private Tensor Wing(Tensor error)
    {
        // C joins the two pieces continuously at |x| = w.
        double c = WingWidth - (WingWidth * Math.Log(1 + (WingWidth / WingCurvature)));
        Tensor absolute = error.abs();
        Tensor near = (absolute / WingCurvature).log1p() * WingWidth;
        return where(absolute.lt(WingWidth), near, absolute - c);
    }
}
