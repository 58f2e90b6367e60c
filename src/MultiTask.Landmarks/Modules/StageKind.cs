namespace MultiTask.Landmarks.Modules;

/// <summary>What a trunk stage computes.</summary>
public enum StageKind
{
    /// <summary>A 2-D convolution, optional batch normalisation, an activation and optional max pooling.</summary>
    Convolution,

    /// <summary>Flattening, a fully connected layer, optional batch normalisation and an activation.</summary>
    Dense,
}
