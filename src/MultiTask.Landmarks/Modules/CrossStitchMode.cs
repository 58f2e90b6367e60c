namespace MultiTask.Landmarks.Modules;

/// <summary>How finely a cross-stitch unit mixes the columns' activations.</summary>
public enum CrossStitchMode
{
    /// <summary>One T x T mixing matrix per channel (Misra et al. found it slightly better).</summary>
    PerChannel,

    /// <summary>One T x T mixing matrix for the whole stage.</summary>
    PerStage,
}
