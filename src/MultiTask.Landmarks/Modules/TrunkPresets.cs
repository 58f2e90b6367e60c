namespace MultiTask.Landmarks.Modules;

/// <summary>The trunks of the literature and a modern one, by name.</summary>
public static class TrunkPresets
{
    /// <summary>The name of <see cref="Tcdcn"/>.</summary>
    public const string TcdcnName = "tcdcn";

    /// <summary>The name of <see cref="SunF1"/>.</summary>
    public const string SunF1Name = "sun-f1";

    /// <summary>The name of <see cref="Compact64"/>.</summary>
    public const string Compact64Name = "compact64";

    /// <summary>
    /// Gets TCDCN (Zhang et al., ECCV 2014): 40x40 grey; conv 5x5x16, pool 2; conv 3x3x48, pool 2; conv 3x3x64,
    /// pool 2; conv 2x2x64; fully connected 100; |tanh| after every layer. 77,236 parameters, 79,357 with the MTFL
    /// heads.
    /// </summary>
    public static TrunkSpec Tcdcn { get; } = new(TcdcnName, 1, 40, 40, new[]
    {
        StageSpec.Convolution("conv1", 5, 16, pool: 2),
        StageSpec.Convolution("conv2", 3, 48, pool: 2),
        StageSpec.Convolution("conv3", 3, 64, pool: 2),
        StageSpec.Convolution("conv4", 2, 64),
        StageSpec.Dense("fc", 100),
    });

    /// <summary>
    /// Gets the level-1 network F1 of Sun et al. (CVPR 2013): 39x39 grey; conv 4x4x20, 3x3x40, 3x3x60, 2x2x80, each
    /// of the first three followed by 2x2 max pooling as in the paper; fully connected 120; |tanh| after every layer.
    /// The paper's locally shared weights in the upper convolutions are plain convolutions here.
    /// </summary>
    public static TrunkSpec SunF1 { get; } = new(SunF1Name, 1, 39, 39, new[]
    {
        StageSpec.Convolution("conv1", 4, 20, pool: 2),
        StageSpec.Convolution("conv2", 3, 40, pool: 2),
        StageSpec.Convolution("conv3", 3, 60, pool: 2),
        StageSpec.Convolution("conv4", 2, 80),
        StageSpec.Dense("fc", 120),
    });

    /// <summary>
    /// Gets a modern compact trunk: 64x64 grey; a strided 5x5x16 convolution, then 3x3 convolutions of 32, 64 and
    /// 128 channels, each with batch normalisation and ReLU, pooling down to a 4x4 map; fully connected 128 with
    /// batch normalisation. About 4 million multiply-adds a face, the cost of TCDCN, for twice its input resolution.
    /// </summary>
    public static TrunkSpec Compact64 { get; } = new(Compact64Name, 1, 64, 64, new[]
    {
        StageSpec.Convolution("conv1", 5, 16, 2, ActivationKind.Relu, true, stride: 2, padding: 2),
        StageSpec.Convolution("conv2", 3, 32, 2, ActivationKind.Relu, true, padding: 1),
        StageSpec.Convolution("conv3", 3, 64, 2, ActivationKind.Relu, true, padding: 1),
        StageSpec.Convolution("conv4", 3, 128, 1, ActivationKind.Relu, true, padding: 1),
        StageSpec.Dense("fc", 128, ActivationKind.Relu, true),
    });

    /// <summary>Gets the names of all presets.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { TcdcnName, SunF1Name, Compact64Name };

    /// <summary>Gets a preset by name (case-insensitive).</summary>
    /// <param name="name">The preset's name, one of <see cref="Names"/>.</param>
    /// <returns>The trunk.</returns>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static TrunkSpec Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "TCDCN" => Tcdcn,
            "SUN-F1" => SunF1,
            "COMPACT64" => Compact64,
            _ => throw new ArgumentException(
                $"Unknown trunk preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
