namespace MultiTask.Landmarks.Modules;

/// <summary>The non-linearity after a stage's layer.</summary>
public enum ActivationKind
{
    /// <summary>
    /// |tanh(x)|, the rectified hyperbolic tangent of Sun et al. (2013) and TCDCN (Zhang et al., 2014).
    /// </summary>
    AbsTanh,

    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,
}
