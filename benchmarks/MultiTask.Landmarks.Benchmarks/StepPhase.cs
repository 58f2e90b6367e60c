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
}
