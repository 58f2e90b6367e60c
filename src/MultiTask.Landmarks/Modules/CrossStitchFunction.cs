using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// The cross-stitch mixing of float32 CPU activations through <see cref="CrossStitchKernel"/>, as a custom autograd
/// function: forward, the gradients of the inputs and the weights' gradient are each one pass over the columns'
/// memory, where the same mixing composed of libtorch multiply-adds costs T^2 passes forward and about four times that
/// backward. <see cref="CrossStitchUnit"/> uses it wherever <see cref="TryGetRows"/> accepts the activations.
/// </summary>
internal sealed class CrossStitchFunction : autograd.MultiTensorFunction<CrossStitchFunction>
{
    /// <inheritdoc />
    public override string Name => nameof(CrossStitchFunction);

    /// <summary>Mixes the columns, recording the operation for autograd when gradients are enabled.</summary>
    /// <param name="inputs">T activations of one shape, each accepted by <see cref="TryGetRows"/>.</param>
    /// <param name="weight">The weights, [T, T, C] or [T, T], float32, contiguous, on the CPU.</param>
    /// <param name="perChannel">Whether the weights have a channel axis.</param>
    /// <returns>T mixed activations in the inputs' layout; the caller's dispose scope owns them.</returns>
    public static IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs, Tensor weight, bool perChannel)
    {
        if (!is_grad_enabled() || !(weight.requires_grad || inputs.Any(x => x.requires_grad)))
        {
            return Compute(inputs, weight, perChannel);
        }

        var arguments = new object[inputs.Count + 2];
        for (int i = 0; i < inputs.Count; i++)
        {
            arguments[i] = inputs[i];
        }

        arguments[inputs.Count] = weight;
        arguments[inputs.Count + 1] = perChannel;
        return apply(arguments);
    }

    /// <summary>Finds the rows-of-channels view of an activation: [N, C, H, W] in channels-last memory (N x H x W
    /// rows of C) or a contiguous [N, F] (N rows of F).</summary>
    /// <param name="input">The activation.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="channels">The values in a row.</param>
    /// <returns>Whether the kernel can read <paramref name="input"/> in place.</returns>
    public static bool TryGetRows(Tensor input, out long rows, out int channels)
    {
        rows = 0;
        channels = 0;
        if (input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32)
        {
            return false;
        }

        long[] shape = input.shape;
        if (shape.Length is not (2 or 4))
        {
            return false;
        }

        // Rows of channels means strides [H*W*C, 1, W*C, C] (channels-last) or [F, 1]; like libtorch's own test of
        // contiguity, an axis of size 1 may have any stride. Read from the strides, without making a view.
        long[] strides = input.stride();
        int[] order = shape.Length == 4 ? [1, 3, 2, 0] : [1, 0];
        long expected = 1;
        foreach (int axis in order)
        {
            if (shape[axis] != 1 && strides[axis] != expected)
            {
                return false;
            }

            expected *= shape[axis];
        }

        rows = shape.Length == 4 ? shape[0] * shape[2] * shape[3] : shape[0];
        channels = (int)shape[1];
        return true;
    }

    /// <inheritdoc />
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        HandedGradients.Release();
        int columns = vars.Length - 2;
        Tensor[] inputs = vars.Take(columns).Cast<Tensor>().ToArray();
        var weight = (Tensor)vars[columns];
        bool perChannel = (bool)vars[columns + 1];
        ctx.save_for_backward([.. inputs, weight]);
        ctx.save_data("perChannel", perChannel);

        // An output that no loss reads gets no gradient; the backward pass treats it as zero instead of having
        // TorchSharp allocate zeros for it.
        ctx.set_materialize_grads(false);
        return Compute(inputs, weight, perChannel).ToList();
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        HandedGradients.Release();
        bool perChannel = (bool)ctx.get_data("perChannel");
        var inputGradients = new List<Tensor>(grad_outputs.Count + 2);
        Tensor weightGradient;
        using (NewDisposeScope())
        {
            List<Tensor> saved = ctx.get_saved_variables();
            int columns = saved.Count - 1;
            Tensor weight = saved[columns];
            Tensor[] inputs = saved.Take(columns).ToArray();
            TryGetRows(inputs[0], out long rows, out int channels);
            weightGradient = zeros_like(weight).MoveToOuterDisposeScope();

            // The gradients arrive in whatever layout the next layer's backward produced; the kernel reads rows of
            // channels, so any other layout is copied once. A missing gradient (an unused output) contributes
            // nothing.
            Tensor?[] gradients = grad_outputs.Select(g => g.IsInvalid ? null : InRows(g)).ToArray();
            if (gradients.All(g => g is null))
            {
                inputGradients.AddRange(inputs.Select(x => zeros_like(x).MoveToOuterDisposeScope()));
            }
            else
            {
                // Unused outputs read as zeros through one shared buffer, so the kernels need no special case.
                Tensor? zero = gradients.Any(g => g is null) ? zeros_like(inputs[0]) : null;
                Tensor[] present = gradients.Select(g => g ?? zero!).ToArray();
                Tensor[] results = inputs.Select(x => TensorMemory.EmptyLike(x).MoveToOuterDisposeScope()).ToArray();
                nint[] g = present.Select(TensorMemory.Address).ToArray();
                nint[] x = inputs.Select(TensorMemory.Address).ToArray();
                nint[] dx = results.Select(TensorMemory.Address).ToArray();
                var shape = new CrossStitchKernel.MixShape(columns, rows, channels, perChannel);
                CrossStitchKernel.Backward(
                    g, x, dx, TensorMemory.Address(weight), TensorMemory.Address(weightGradient), shape,
                    KernelThreads());
                inputGradients.AddRange(results);
            }
        }

        grad_outputs.ForEach(g => g.Dispose());
        inputGradients.Add(weightGradient);
        HandedGradients.Hand(inputGradients);
        inputGradients.Add(null!);
        return inputGradients;
    }

    private static Tensor[] Compute(IReadOnlyList<Tensor> inputs, Tensor weight, bool perChannel)
    {
        TryGetRows(inputs[0], out long rows, out int channels);
        Tensor[] outputs = inputs.Select(x => TensorMemory.EmptyLike(x)).ToArray();
        nint[] x = inputs.Select(TensorMemory.Address).ToArray();
        nint[] y = outputs.Select(TensorMemory.Address).ToArray();
        var shape = new CrossStitchKernel.MixShape(inputs.Count, rows, channels, perChannel);
        CrossStitchKernel.Mix(x, y, TensorMemory.Address(weight), shape, transpose: false, KernelThreads());

        return outputs;
    }

    /// <summary>The kernel splits large units between as many threads as libtorch uses.</summary>
    private static int KernelThreads() => get_num_threads();

    /// <summary>A gradient as rows of channels: itself when it is, else a channels-last or contiguous copy.</summary>
    /// <param name="gradient">The gradient.</param>
    /// <returns>The gradient in rows; the caller's dispose scope owns a copy.</returns>
    internal static Tensor InRows(Tensor gradient)
    {
        if (TryGetRows(gradient, out _, out _))
        {
            return gradient;
        }

        return gradient.dim() == 4 ? TrunkStage.ChannelsLast(gradient) : gradient.contiguous();
    }
}
