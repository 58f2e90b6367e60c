namespace MultiTask.Landmarks.Training;

/// <summary>How the learning rate changes over a run, after the optional warm-up.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>The rate is multiplied by a factor every fixed number of epochs.</summary>
    Step,

    /// <summary>The rate follows half a cosine from the base rate down to a floor at the last epoch.</summary>
    Cosine,
}
