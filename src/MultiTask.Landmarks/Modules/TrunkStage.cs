using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// One stage of a trunk, built from a <see cref="StageSpec"/>. Its <c>state_dict</c> keys are <c>conv.*</c> for a
/// convolution or <c>fc.*</c> for a dense stage, and <c>bn.*</c> when batch normalisation is on.
/// </summary>
public sealed class TrunkStage : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d? conv;
    private readonly Linear? fc;
    private readonly nn.Module<Tensor, Tensor>? bn;

    /// <summary>Initializes a new instance of the <see cref="TrunkStage"/> class.</summary>
    /// <param name="spec">The stage.</param>
    /// <param name="inputShape">The stage's input shape, [C, H, W] or [F].</param>
    /// <exception cref="ArgumentException">The stage does not fit the input.</exception>
    public TrunkStage(StageSpec spec, IReadOnlyList<long> inputShape)
        : base((spec ?? throw new ArgumentNullException(nameof(spec))).Name)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        Spec = spec;
        OutputShape = spec.OutputShape(inputShape);
        if (spec.Kind == StageKind.Convolution)
        {
            conv = nn.Conv2d(
                inputShape[0], spec.Outputs, spec.Kernel, spec.Stride, spec.Padding, bias: !spec.BatchNorm);
            bn = spec.BatchNorm ? nn.BatchNorm2d(spec.Outputs) : null;
        }
        else
        {
            long features = inputShape.Aggregate(1L, (a, b) => a * b);
            fc = nn.Linear(features, spec.Outputs, hasBias: !spec.BatchNorm);
            bn = spec.BatchNorm ? nn.BatchNorm1d(spec.Outputs) : null;
        }

        RegisterComponents();
    }

    /// <summary>Gets the stage's specification.</summary>
    public StageSpec Spec { get; }

    /// <summary>Gets the stage's output shape, [C, H, W] or [F].</summary>
    public long[] OutputShape { get; }

    /// <summary>Gets the stage's main weight (the convolution's or the fully connected layer's).</summary>
    public Parameter Weight => conv?.weight ?? fc!.weight!;

    /// <summary>Gets whether <see cref="ActivationPoolKernel"/> can run the stage's activation and pooling (a
    /// pooling window it indexes, or none), so that a cross-stitch unit after the stage may fuse them.</summary>
    internal bool ActivatesInKernel => Spec.Pool <= ActivationPoolKernel.MostPool;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        bool inference = !is_grad_enabled();
        if (inference && TryGreyConvolution(input, out Tensor? pooled))
        {
            Tensor activated = Spec.Activation == ActivationKind.Relu ? pooled.relu_() : pooled.tanh_();
            return activated.MoveToOuterDisposeScope();
        }

        return Activate(Layer(input)).MoveToOuterDisposeScope();
    }

    /// <summary>The stage's layer: the convolution (on channels-last memory) or the dense layer, then the batch
    /// normalisation when there is one; what <see cref="Activate"/> takes.</summary>
    /// <param name="input">The stage's input.</param>
    /// <returns>The pre-activation map, in the current dispose scope.</returns>
    internal Tensor Layer(Tensor input)
    {
        Tensor x = conv is not null ? conv.forward(ChannelsLast(input)) : fc!.forward(input.flatten(1));
        return bn is not null ? bn.forward(x) : x;
    }

    /// <summary>The stage's activation and pooling of what <see cref="Layer"/> computed.</summary>
    /// <param name="x">The pre-activation map.</param>
    /// <returns>The stage's output, in the current dispose scope.</returns>
    internal Tensor Activate(Tensor x)
    {
        // Without autograd nothing keeps the layer's output for a backward pass, so the activation may overwrite it
        // and spare two allocations a stage at inference. Max pooling also commutes with a non-decreasing function
        // (max f(x) = f(max x)), so inference pools first and takes tanh or ReLU on a map the pooling made
        // 4 times smaller; |tanh x| = tanh |x| puts the absolute value, which is not monotone, before the pooling.
        if (!is_grad_enabled())
        {
            return InferenceActivation(x);
        }

        // In training, a pooled convolution stage's activation and pooling run as one managed pass each way (see
        // ActivationPoolFunction) where the map allows it, with the floats of the three libtorch ops below (ties of
        // tanh within a window aside). Without pooling there is no larger map to spare a pass over, and the stage
        // keeps libtorch's ops (a cross-stitch unit after it fuses them anyway).
        if (conv is not null && Spec.Pool > 1 && ActivatesInKernel && ActivationPoolFunction.Accepts(x, Spec.Pool))
        {
            return ActivationPoolFunction.Run(x, Spec.Activation, Spec.Pool);
        }

        x = Spec.Activation switch
        {
            ActivationKind.AbsTanh => x.tanh().abs(),
            ActivationKind.Relu => nn.functional.relu(x),
            _ => x.tanh(),
        };
        return Spec.Pool > 1 ? nn.functional.max_pool2d(x, Spec.Pool, Spec.Pool) : x;
    }

    private Tensor InferenceActivation(Tensor x)
    {
        if (Spec.Activation == ActivationKind.AbsTanh)
        {
            x = x.abs_();
        }

        if (Spec.Pool > 1)
        {
            x = nn.functional.max_pool2d(x, Spec.Pool, Spec.Pool);
        }

        return Spec.Activation == ActivationKind.Relu ? x.relu_() : x.tanh_();
    }

    /// <summary>
    /// At inference, a convolution stage on one-channel CPU float32 images runs as <see cref="GreyConvolutionKernel"/>:
    /// convolution, bias (or the batch normalisation's running statistics folded into the filters), the absolute value
    /// of |tanh| and the pooling in one pass; the caller applies the monotone rest of the activation to the pooled map.
    /// </summary>
    private bool TryGreyConvolution(Tensor input, [NotNullWhen(true)] out Tensor? pooled)
    {
        pooled = null;
        if (conv is null || input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32 ||
            input.dim() != 4 || input.shape[1] != 1 || conv.weight!.dtype != ScalarType.Float32 ||
            !conv.weight.is_contiguous() ||
            (bn is not null && !Foldable(bn)))
        {
            return false;
        }

        // The images must lie one after another, row by row (a grey image is the same memory in NCHW and NHWC).
        long[] shape = input.shape, strides = input.stride();
        long images = shape[0], height = shape[2], width = shape[3];
        if (images > GreyConvolutionKernel.MostImages || strides[3] != 1 || strides[2] != width
            || (images > 1 && strides[0] != height * width))
        {
            return false;
        }

        var geometry = new GreyConvolutionKernel.Geometry(
            (int)height, (int)width, Spec.Kernel, Spec.Stride, Spec.Padding, Spec.Pool, (int)Spec.Outputs,
            Spec.Activation == ActivationKind.AbsTanh);
        float[] packed = PackFilters(geometry);
        pooled = GreyConvolutionKernel.Run(input, packed, geometry).permute(0, 3, 1, 2);
        return true;
    }

    /// <summary>Whether a batch normalisation is a fixed affine map: evaluation mode with running statistics (in
    /// training mode, or without them, it normalises by each batch's own statistics).</summary>
    private static bool Foldable(nn.Module<Tensor, Tensor> norm) =>
        norm is BatchNorm2d { training: false, running_mean: not null, running_var: not null };

    private float[] PackFilters(in GreyConvolutionKernel.Geometry geometry)
    {
        ReadOnlySpan<float> weights = MemoryMarshal.Cast<byte, float>(conv!.weight!.bytes);
        if (bn is not BatchNorm2d norm)
        {
            ReadOnlySpan<float> bias = conv.bias is null ? default : MemoryMarshal.Cast<byte, float>(conv.bias.bytes);
            return GreyConvolutionKernel.Pack(weights, bias, geometry);
        }

        // Batch normalisation at inference is an affine map per channel: scale = gamma / sqrt(var + eps) multiplies
        // the filter, and beta + (bias - mean) * scale becomes its bias.
        int channels = geometry.Channels, taps = geometry.Kernel * geometry.Kernel;
        float[] mean = norm.running_mean!.data<float>().ToArray(), variance = norm.running_var!.data<float>().ToArray();
        float[]? gamma = norm.weight?.data<float>().ToArray(), beta = norm.bias?.data<float>().ToArray();
        float[]? convBias = conv.bias?.data<float>().ToArray();
        var folded = new float[channels * taps];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            float scale = (gamma?[c] ?? 1f) / MathF.Sqrt(variance[c] + (float)norm.eps);
            for (int tap = 0; tap < taps; tap++)
            {
                folded[(c * taps) + tap] = weights[(c * taps) + tap] * scale;
            }

            shift[c] = (beta?[c] ?? 0f) + (((convBias?[c] ?? 0f) - mean[c]) * scale);
        }

        return GreyConvolutionKernel.Pack(folded, shift, geometry);
    }

    /// <summary>
    /// Gives a CPU image batch channels-last (NHWC) memory, keeping its shape and values. libtorch's CPU max pooling
    /// runs several times faster on that layout than on NCHW (11.6 against 1.8 ms for TCDCN's first pooling at batch
    /// 64 on one thread), oneDNN convolutions keep their input's layout, and so one copy of the network's input makes
    /// every convolution stage run channels-last; flatten before a dense stage reads it back in NCHW order. The fused
    /// cross-stitch backward pass uses it too, for gradients that arrive in another layout.
    /// </summary>
    internal static Tensor ChannelsLast(Tensor input)
    {
        if (input.device_type != DeviceType.CPU || input.dim() != 4)
        {
            return input;
        }

        long[] shape = input.shape;
        long[] strides = { shape[1] * shape[2] * shape[3], 1, shape[3] * shape[1], shape[1] };
        if (input.stride().SequenceEqual(strides))
        {
            return input;
        }

        // With one channel (grey images) both layouts put the same values in the same order: a contiguous input only
        // needs channels-last strides, not a copy. TorchSharp's as_strided starts at offset 0 of the storage unless
        // told otherwise, so a slice of a batch passes its own offset.
        if (shape[1] == 1 && input.is_contiguous())
        {
            return input.as_strided(shape, strides, input.storage_offset());
        }

        // empty_strided and copy_ rather than permute and contiguous: for one channel, the permuted tensor already
        // counts as contiguous and would keep its NCHW strides.
        Tensor result = empty_strided(shape, strides, input.dtype, input.device);
        return result.copy_(input);
    }
}
