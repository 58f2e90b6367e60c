using MultiTask.Landmarks.Tests.Training;

namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; tests that need a process they can kill start
/// <c>dotnet MultiTask.Landmarks.Tests.dll ROLE ARGS</c> (see <see cref="Start"/>).
/// </summary>
public static class ChildProcessEntry
{
    public static int Main(string[] args) => args switch
    {
        ["checkpoint-writer", string folder] => CheckpointKillTests.WriteCheckpointsForever(folder),
        _ => 2,
    };

    /// <summary>Starts this assembly as a child process in the given role.</summary>
    public static System.Diagnostics.Process Start(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(ProcessRunner.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(ChildProcessEntry).Assembly.Location);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException("The child process did not start.");
    }
}
