namespace MultiTask.Landmarks.Benchmarks;

/// <summary>Says how many faces one call of a benchmark method handles, for the faces/s column; without it the
/// column takes the benchmark's <c>BatchSize</c> parameter.</summary>
/// <param name="faces">The faces per call.</param>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FacesPerInvokeAttribute(int faces) : Attribute
{
    public int Faces { get; } = faces;
}
