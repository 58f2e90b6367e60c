namespace MultiTask.Landmarks.Losses;

/// <summary>The per-coordinate penalty of the landmark loss.</summary>
public enum LandmarkLossKind
{
    /// <summary>Squared error.</summary>
    Mse,

    /// <summary>Absolute error.</summary>
    L1,

    /// <summary>Squared below <see cref="LandmarkLoss.SmoothL1Beta"/>, absolute above (Girshick, 2015).</summary>
    SmoothL1,

    /// <summary>Wing loss (Feng et al., CVPR 2018): logarithmic near zero, absolute far away.</summary>
    Wing,
}
