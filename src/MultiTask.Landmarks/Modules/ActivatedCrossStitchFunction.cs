using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// A cross-stitch unit fused with the activation (and pooling, if any) of the stage before it, in training: from the
/// columns' pre-activation maps (channels-last, or dense features), |z| or z pooled for every column
/// (<see cref="ActivationPoolKernel"/>, a window of 1 where the stage does not pool) into one buffer, libtorch's tanh
/// or ReLU over that buffer in one call, and the mixing (<see cref="CrossStitchKernel"/>); backward, each block of
/// rows is mixed back, its gradient spread over the input's windows while it is in cache, and the weights' gradient
/// summed, in one pass. Against the stage's activation per column followed by the unit it saves the activations'
/// gradients' round trip through memory and 2T to 3T autograd nodes, and computes the same floats.
/// </summary>
internal sealed class ActivatedCrossStitchFunction : autograd.MultiTensorFunction<ActivatedCrossStitchFunction>
{
    /// <inheritdoc />
    public override string Name => nameof(ActivatedCrossStitchFunction);

    /// <summary>Activates, pools and mixes the columns, recording the operation for autograd.</summary>
    /// <param name="preActivations">T maps of one shape, each accepted by <see cref="ActivationPoolFunction.Accepts"/>.
    /// </param>
    /// <param name="weight">The weights, [T, T, C] or [T, T], float32, contiguous, on the CPU.</param>
    /// <param name="perChannel">Whether the weights have a channel axis.</param>
    /// <param name="activation">The stage's activation.</param>
    /// <param name="pool">The stage's pooling window.</param>
    /// <returns>T mixed, pooled activations, channels-last; the caller's dispose scope owns them.</returns>
    public static IReadOnlyList<Tensor> Run(
        IReadOnlyList<Tensor> preActivations, Tensor weight, bool perChannel, ActivationKind activation, int pool)
    {
        var arguments = new object[preActivations.Count + 4];
        for (int i = 0; i < preActivations.Count; i++)
        {
            arguments[i] = preActivations[i];
        }

        arguments[preActivations.Count] = weight;
        arguments[preActivations.Count + 1] = perChannel;
        arguments[preActivations.Count + 2] = activation;
        arguments[preActivations.Count + 3] = pool;
        return apply(arguments);
    }

    /// <inheritdoc />
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        HandedGradients.Release();
        int columns = vars.Length - 4;
        Tensor[] inputs = vars.Take(columns).Cast<Tensor>().ToArray();
        var weight = (Tensor)vars[columns];
        bool perChannel = (bool)vars[columns + 1];
        var activation = (ActivationKind)vars[columns + 2];
        int pool = (int)vars[columns + 3];

        ActivationPoolKernel.PoolShape shape = ActivationPoolFunction.ShapeOf(inputs[0], pool);
        bool dense = inputs[0].dim() == 2;
        long images = (long)columns * shape.Images;
        Tensor activated = ActivationPoolFunction.EmptyPooled(shape, dense, images, ScalarType.Float32);
        Tensor codes = ActivationPoolFunction.EmptyPooled(shape, dense, images, ScalarType.Int32);
        nint[] pooled = ColumnAddresses(activated, shape, columns);
        nint[] columnCodes = ColumnAddresses(codes, shape, columns);
        int threads = get_num_threads();
        unsafe
        {
            for (int t = 0; t < columns; t++)
            {
                ActivationPoolKernel.Forward(
                    (float*)TensorMemory.Address(inputs[t]), (float*)pooled[t], (int*)columnCodes[t], shape,
                    activation == ActivationKind.AbsTanh, threads);
            }
        }

        // One libtorch call activates every column: its kernels, so the floats are the stage's own.
        _ = activation == ActivationKind.Relu ? activated.relu_() : activated.tanh_();

        var mixShape = new CrossStitchKernel.MixShape(columns, shape.PooledRows, shape.Channels, perChannel);
        var outputs = new List<Tensor>(columns);
        var outputAddresses = new nint[columns];
        for (int t = 0; t < columns; t++)
        {
            outputs.Add(ActivationPoolFunction.EmptyPooled(shape, dense, shape.Images, ScalarType.Float32));
            outputAddresses[t] = TensorMemory.Address(outputs[t]);
        }

        CrossStitchKernel.Mix(
            pooled, outputAddresses, TensorMemory.Address(weight), mixShape, transpose: false, threads);

        ctx.save_for_backward([activated, codes, weight]);
        ctx.save_data("shape", shape);
        ctx.save_data("dense", dense);
        ctx.save_data("perChannel", perChannel);
        ctx.save_data("activation", activation);
        ctx.set_materialize_grads(false);
        return outputs;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        HandedGradients.Release();
        var shape = (ActivationPoolKernel.PoolShape)ctx.get_data("shape");
        bool dense = (bool)ctx.get_data("dense");
        bool perChannel = (bool)ctx.get_data("perChannel");
        var activation = (ActivationKind)ctx.get_data("activation");
        int columns = grad_outputs.Count;
        Tensor[] inputGradients = Enumerable.Range(0, columns)
            .Select(_ => ActivationPoolFunction.EmptyInput(shape, dense)).ToArray();
        Tensor weightGradient;
        using (NewDisposeScope())
        {
            List<Tensor> saved = ctx.get_saved_variables();
            Tensor activated = saved[0], codes = saved[1], weight = saved[2];
            weightGradient = zeros_like(weight).MoveToOuterDisposeScope();

            // An output no loss reads has no gradient; it reads as zeros through one shared buffer. The others arrive
            // in whatever layout the next layer's backward produced, and the kernel reads rows of channels.
            Tensor? zero = grad_outputs.Any(g => g.IsInvalid)
                ? ActivationPoolFunction.EmptyPooled(shape, dense, shape.Images, ScalarType.Float32).zero_()
                : null;
            var gradients = new nint[columns];
            var inputGradientAddresses = new nint[columns];
            for (int t = 0; t < columns; t++)
            {
                Tensor g = grad_outputs[t];
                gradients[t] = TensorMemory.Address(g.IsInvalid ? zero! : CrossStitchFunction.InRows(g));
                inputGradientAddresses[t] = TensorMemory.Address(inputGradients[t]);
                unsafe
                {
                    ActivationPoolKernel.ClearUncovered((float*)inputGradientAddresses[t], shape);
                }
            }

            var pooling = new CrossStitchKernel.PooledInputs(
                ColumnAddresses(codes, shape, columns), shape, ActivationPoolFunction.DerivativeOf(activation));
            var mixShape = new CrossStitchKernel.MixShape(columns, shape.PooledRows, shape.Channels, perChannel);
            CrossStitchKernel.Backward(
                gradients, ColumnAddresses(activated, shape, columns), inputGradientAddresses,
                TensorMemory.Address(weight), TensorMemory.Address(weightGradient), mixShape, get_num_threads(),
                pooling);
        }

        grad_outputs.ForEach(g => g.Dispose());
        HandedGradients.Hand([.. inputGradients, weightGradient]);
        var result = new List<Tensor>(columns + 4);
        result.AddRange(inputGradients);
        result.Add(weightGradient);
        result.AddRange([null!, null!, null!]);
        return result;
    }

    /// <summary>Where each column's part of a joint [T * N, ...] buffer of pooled values (4-byte floats or codes)
    /// begins.</summary>
    private static nint[] ColumnAddresses(Tensor joint, in ActivationPoolKernel.PoolShape shape, int columns)
    {
        nint start = TensorMemory.Address(joint);
        long bytes = shape.PooledRows * shape.Channels * sizeof(float);
        var addresses = new nint[columns];
        for (int t = 0; t < columns; t++)
        {
            addresses[t] = start + (nint)(t * bytes);
        }

        return addresses;
    }
}
