namespace MultiTask.Landmarks.Tasks;

/// <summary>What a task predicts.</summary>
public enum TaskKind
{
    /// <summary>Regression of K landmark points (2K outputs, in the crop's normalised frame).</summary>
    Landmarks,

    /// <summary>Classification into C classes (C logits).</summary>
    Classification,
}
