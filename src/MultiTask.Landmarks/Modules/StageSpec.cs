namespace MultiTask.Landmarks.Modules;

/// <summary>
/// One stage of a trunk: a convolution or a fully connected layer, then batch normalisation when asked, then the
/// activation, then max pooling when <see cref="Pool"/> exceeds 1. The stage's <see cref="Name"/> is part of the
/// <c>state_dict</c> keys, so renaming a stage breaks saved models.
/// </summary>
/// <param name="Name">The stage's name (conv1, fc, ...), unique within its trunk and free of dots.</param>
/// <param name="Kind">Whether the stage convolves or is fully connected.</param>
/// <param name="Outputs">Output channels of a convolution, or output features of a dense stage.</param>
/// <param name="Kernel">The square kernel size of a convolution; ignored for dense stages.</param>
/// <param name="Stride">The convolution's stride.</param>
/// <param name="Padding">The convolution's zero padding on each side.</param>
/// <param name="Pool">The max pooling window and stride after the activation; 1 for none.</param>
/// <param name="BatchNorm">Whether batch normalisation follows the layer (and the layer then has no bias).</param>
/// <param name="Activation">The activation.</param>
public sealed record StageSpec(
    string Name,
    StageKind Kind,
    int Outputs,
    int Kernel = 0,
    int Stride = 1,
    int Padding = 0,
    int Pool = 1,
    bool BatchNorm = false,
    ActivationKind Activation = ActivationKind.AbsTanh)
{
    /// <summary>Creates a convolution stage.</summary>
    /// <param name="name">The stage's name.</param>
    /// <param name="kernel">The square kernel size.</param>
    /// <param name="outputs">The output channels.</param>
    /// <param name="pool">The max pooling window; 1 for none.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="batchNorm">Whether batch normalisation follows the convolution.</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding.</param>
    /// <returns>The stage.</returns>
    public static StageSpec Convolution(
        string name,
        int kernel,
        int outputs,
        int pool = 1,
        ActivationKind activation = ActivationKind.AbsTanh,
        bool batchNorm = false,
        int stride = 1,
        int padding = 0) =>
        new(name, StageKind.Convolution, outputs, kernel, stride, padding, pool, batchNorm, activation);

    /// <summary>Creates a fully connected stage.</summary>
    /// <param name="name">The stage's name.</param>
    /// <param name="outputs">The output features.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="batchNorm">Whether batch normalisation follows the layer.</param>
    /// <returns>The stage.</returns>
    public static StageSpec Dense(
        string name,
        int outputs,
        ActivationKind activation = ActivationKind.AbsTanh,
        bool batchNorm = false) =>
        new(name, StageKind.Dense, outputs, Activation: activation, BatchNorm: batchNorm);

    /// <summary>Computes the stage's output shape from its input shape.</summary>
    /// <param name="input">The input shape [C, H, W] (or [F] after a dense stage).</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentException">The stage does not fit the input (a convolution after a dense stage, or
    /// a kernel or pool larger than the feature map).</exception>
    public long[] OutputShape(IReadOnlyList<long> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Outputs < 1)
        {
            throw new ArgumentException($"Stage '{Name}' has {Outputs} outputs; expected at least 1.", nameof(input));
        }

        if (Kind == StageKind.Dense)
        {
            return new long[] { Outputs };
        }

        if (input.Count != 3)
        {
            throw new ArgumentException(
                $"Convolution stage '{Name}' needs a [C, H, W] input, got [{string.Join(", ", input)}].",
                nameof(input));
        }

        long height = ((input[1] + (2 * Padding) - Kernel) / Stride) + 1;
        long width = ((input[2] + (2 * Padding) - Kernel) / Stride) + 1;
        if (Kernel < 1 || Stride < 1 || Pool < 1 || height < Pool || width < Pool)
        {
            throw new ArgumentException(
                $"Stage '{Name}' (kernel {Kernel}, stride {Stride}, padding {Padding}, pool {Pool}) does not fit the " +
                $"input [{string.Join(", ", input)}].", nameof(input));
        }

        return new long[] { Outputs, height / Pool, width / Pool };
    }
}
