namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>An IProgress that runs its handler on the reporting thread, so tests see every report in order.</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
