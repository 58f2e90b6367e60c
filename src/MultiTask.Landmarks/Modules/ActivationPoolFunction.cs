using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A convolution stage's activation and max pooling in training, as a custom autograd function over
/// <see cref="ActivationPoolKernel"/>: the kernel pools max |z| (or max z), libtorch's own tanh or ReLU runs on the
/// pooled map, and the backward pass writes the input's gradient in one pass. The floats equal those of libtorch's
/// activation, absolute value and pooling run in that order, forward and backward, except where two inputs of a
/// window differ but their tanh rounds to the same float: libtorch then credits the first, this the larger.
/// </summary>
internal sealed class ActivationPoolFunction : autograd.SingleTensorFunction<ActivationPoolFunction>
{
    /// <inheritdoc />
    public override string Name => nameof(ActivationPoolFunction);

    /// <summary>Whether the function takes a stage's pre-activation map: a float32 CPU [N, C, H, W] map in
    /// channels-last memory, with a window the codes can index.</summary>
    /// <param name="input">The map.</param>
    /// <param name="pool">The pooling window's side and stride.</param>
    /// <returns>Whether <see cref="Run"/> accepts it.</returns>
    public static bool Accepts(Tensor input, int pool) =>
        pool >= 1 && pool <= ActivationPoolKernel.MostPool
        && (input.dim() == 4 || (input.dim() == 2 && pool == 1))
        && CrossStitchFunction.TryGetRows(input, out _, out _)
        && (input.dim() == 2 || (input.shape[2] >= pool && input.shape[3] >= pool))
        && input.numel() <= int.MaxValue / sizeof(float);

    /// <summary>Activates and pools a map that <see cref="Accepts"/> takes, recording the operation for autograd.
    /// </summary>
    /// <param name="input">The stage's pre-activation map.</param>
    /// <param name="activation">The stage's activation.</param>
    /// <param name="pool">The pooling window's side and stride.</param>
    /// <returns>The pooled activation, channels-last; the caller's dispose scope owns it.</returns>
    public static Tensor Run(Tensor input, ActivationKind activation, int pool) => apply(input, activation, pool);

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        HandedGradients.Release();
        var input = (Tensor)vars[0];
        var activation = (ActivationKind)vars[1];
        int pool = (int)vars[2];
        ActivationPoolKernel.PoolShape shape = ShapeOf(input, pool);
        bool dense = input.dim() == 2;
        Tensor output = EmptyPooled(shape, dense, shape.Images, ScalarType.Float32);
        Tensor codes = EmptyPooled(shape, dense, shape.Images, ScalarType.Int32);
        unsafe
        {
            ActivationPoolKernel.Forward(
                (float*)TensorMemory.Address(input), (float*)TensorMemory.Address(output),
                (int*)TensorMemory.Address(codes), shape, activation == ActivationKind.AbsTanh, get_num_threads());
        }

        // libtorch's own kernels for the activation, on the pooled map: the same floats as on the full one.
        _ = activation == ActivationKind.Relu ? output.relu_() : output.tanh_();
        ctx.save_for_backward([output.detach(), codes]);
        ctx.save_data("activation", activation);
        ctx.save_data("shape", shape);
        ctx.save_data("dense", dense);
        return output;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        HandedGradients.Release();
        var activation = (ActivationKind)ctx.get_data("activation");
        var shape = (ActivationPoolKernel.PoolShape)ctx.get_data("shape");
        bool dense = (bool)ctx.get_data("dense");
        Tensor inputGradient = EmptyInput(shape, dense);
        using (NewDisposeScope())
        {
            List<Tensor> saved = ctx.get_saved_variables();
            Tensor output = saved[0], codes = saved[1];

            // The next layer's backward pass may hand its gradient over in another layout; the kernel reads rows of
            // channels.
            Tensor gradient = CrossStitchFunction.InRows(grad_output);
            unsafe
            {
                ActivationPoolKernel.Backward(
                    (float*)TensorMemory.Address(gradient), (float*)TensorMemory.Address(output),
                    (int*)TensorMemory.Address(codes), (float*)TensorMemory.Address(inputGradient), shape,
                    DerivativeOf(activation), get_num_threads());
            }
        }

        grad_output.Dispose();
        HandedGradients.Hand([inputGradient]);
        return [inputGradient, null!, null!];
    }

    /// <summary>The kernel's name for an activation's gradient.</summary>
    /// <param name="activation">The activation.</param>
    /// <returns>Its derivative.</returns>
    internal static ActivationPoolKernel.Derivative DerivativeOf(ActivationKind activation) => activation switch
    {
        ActivationKind.AbsTanh => ActivationPoolKernel.Derivative.AbsTanh,
        ActivationKind.Relu => ActivationPoolKernel.Derivative.Relu,
        _ => ActivationPoolKernel.Derivative.Tanh,
    };

    /// <summary>The kernel's view of a map: [N, C, H, W], or dense features [N, F] as N images of 1 x 1 x F.
    /// </summary>
    /// <param name="input">A map that <see cref="Accepts"/> takes.</param>
    /// <param name="pool">The pooling window.</param>
    /// <returns>The shape.</returns>
    internal static ActivationPoolKernel.PoolShape ShapeOf(Tensor input, int pool)
    {
        long[] s = input.shape;
        return s.Length == 2
            ? new ActivationPoolKernel.PoolShape((int)s[0], 1, 1, (int)s[1], 1)
            : new ActivationPoolKernel.PoolShape((int)s[0], (int)s[2], (int)s[3], (int)s[1], pool);
    }

    /// <summary>An uninitialised pooled map for <paramref name="images"/> images of <paramref name="shape"/>:
    /// channels-last [images, C, H / Pool, W / Pool], or [images, F] for dense features.</summary>
    /// <param name="shape">The map.</param>
    /// <param name="dense">Whether the map is dense features.</param>
    /// <param name="images">The number of images (several columns' maps share one buffer).</param>
    /// <param name="type">The element type.</param>
    /// <returns>The new CPU tensor, owned by the caller.</returns>
    internal static Tensor EmptyPooled(
        in ActivationPoolKernel.PoolShape shape, bool dense, long images, ScalarType type) => dense
        ? empty(new[] { images, (long)shape.Channels }, type)
        : TensorMemory.EmptyChannelsLast(
            new[] { images, shape.Channels, shape.PooledHeight, (long)shape.PooledWidth }, type);

    /// <summary>An uninitialised map of the input's shape (the input gradient's), channels-last or dense.</summary>
    /// <param name="shape">The map.</param>
    /// <param name="dense">Whether the map is dense features.</param>
    /// <returns>The new CPU tensor, owned by the caller.</returns>
    internal static Tensor EmptyInput(in ActivationPoolKernel.PoolShape shape, bool dense) => dense
        ? empty(new[] { shape.Images, (long)shape.Channels }, ScalarType.Float32)
        : TensorMemory.EmptyChannelsLast(
            new[] { shape.Images, shape.Channels, shape.Height, (long)shape.Width }, ScalarType.Float32);
}
