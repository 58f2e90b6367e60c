namespace MultiTask.Landmarks.Tests.Robustness;

/// <summary>
/// Runs work on the thread pool and fails the test if it has not finished within a generous limit. This is a guard
/// against hangs (a decoder looping on crafted data), not a claim about speed: the limit is far above any real cost.
/// </summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static T Run<T>(Func<T> work)
    {
        Task<T> task = Task.Run(work);
        if (!task.Wait(Limit) && !task.IsCompleted)
        {
            Assert.Fail($"The work did not finish within {Limit}: it hangs.");
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Runs work that must throw <typeparamref name="TException"/>, and returns the exception.</summary>
    public static TException Throws<TException>(Action work)
        where TException : Exception =>
        Run(() => Assert.Throws<TException>(work));
}
