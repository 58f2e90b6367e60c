namespace MultiTask.Landmarks.Benchmarks;

/// <summary>The parts of a training step that <c>profile</c> times separately.</summary>
internal enum StepPhase
{
    Forward,
    Loss,
    Backward,
    Clip,
    Optimizer,
    Read,

    /// <summary>The release of the step's tensors (its dispose scope) and the trainer's generation-0 collection
    /// (<see cref="Runtime.StepCollector"/>), every 16th step.</summary>
    Collect,
}
