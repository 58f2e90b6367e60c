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
        pool > 1 && pool <= ActivationPoolKernel.MostPool && input.dim() == 4
        && CrossStitchFunction.TryGetRows(input, out _, out _)
        && input.shape[2] >= pool && input.shape[3] >= pool
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
        var input = (Tensor)vars[0];
        var activation = (ActivationKind)vars[1];
        int pool = (int)vars[2];
        ActivationPoolKernel.PoolShape shape = ShapeOf(input, pool);
        long[] pooledShape = { shape.Images, shape.Channels, shape.PooledHeight, shape.PooledWidth };
        Tensor output = TensorMemory.EmptyChannelsLast(pooledShape, ScalarType.Float32);
        Tensor codes = TensorMemory.EmptyChannelsLast(pooledShape, ScalarType.Int32);
        unsafe
        {
            ActivationPoolKernel.Forward(
                (float*)TensorMemory.Address(input), (float*)TensorMemory.Address(output),
                (int*)TensorMemory.Address(codes), shape, activation == ActivationKind.AbsTanh, get_num_threads());
        }

        // libtorch's own kernels for the activation, on the pooled map: the same floats as on the full one.
        _ = activation == ActivationKind.Relu ? output.relu_() : output.tanh_();
        ctx.save_for_backward([output, codes]);
        ctx.save_data("activation", activation);
        ctx.save_data("shape", shape);
        return output;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor output = saved[0], codes = saved[1];
        var activation = (ActivationKind)ctx.get_data("activation");
        var shape = (ActivationPoolKernel.PoolShape)ctx.get_data("shape");
        ActivationPoolKernel.Derivative derivative = DerivativeOf(activation);

        // The next layer's backward pass may hand its gradient over in another layout; the kernel reads rows of
        // channels.
        Tensor gradient = TrunkStage.ChannelsLast(grad_output);
        long[] inputShape = { shape.Images, shape.Channels, shape.Height, shape.Width };
        Tensor inputGradient = TensorMemory.EmptyChannelsLast(inputShape, ScalarType.Float32);
        unsafe
        {
            ActivationPoolKernel.Backward(
                (float*)TensorMemory.Address(gradient), (float*)TensorMemory.Address(output),
                (int*)TensorMemory.Address(codes), (float*)TensorMemory.Address(inputGradient), shape, derivative,
                get_num_threads());
        }

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

    private static ActivationPoolKernel.PoolShape ShapeOf(Tensor input, int pool)
    {
        long[] s = input.shape;
        return new ActivationPoolKernel.PoolShape((int)s[0], (int)s[2], (int)s[3], (int)s[1], pool);
    }
}
