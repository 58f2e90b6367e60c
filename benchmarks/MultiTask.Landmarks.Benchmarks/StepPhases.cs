using System.Diagnostics;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>Accumulated wall time per <see cref="StepPhase"/>. libtorch runs CPU ops synchronously, so a lap is the
/// time of the ops issued since the previous one.</summary>
internal sealed class StepPhases
{
    private readonly double[] seconds = new double[Enum.GetValues<StepPhase>().Length];
    private long last;

    public void Start() => last = Stopwatch.GetTimestamp();

    public void Lap(StepPhase phase)
    {
        long now = Stopwatch.GetTimestamp();
        seconds[(int)phase] += (now - last) / (double)Stopwatch.Frequency;
        last = now;
    }

    public double this[StepPhase phase] => seconds[(int)phase];

    public double Total => seconds.Sum();

    public void Clear() => Array.Clear(seconds);
}
