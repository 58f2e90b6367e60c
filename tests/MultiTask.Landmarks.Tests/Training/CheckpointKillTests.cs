using System.Diagnostics;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Training;
using Xunit.Abstractions;

namespace MultiTask.Landmarks.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class CheckpointKillTests(ITestOutputHelper output)
{
    private const int Rounds = 6;

    [Fact]
    public void SigkillWhileCheckpointing_LastCheckpointAlwaysLoads()
    {
        string folder = TestPaths.NewTemporaryFolder();
        var random = new Random(12345);
        int midWrite = 0;
        for (int round = 0; round < Rounds; round++)
        {
            var known = new HashSet<string>(Directory.GetFiles(folder), StringComparer.Ordinal);
            DateTime started = DateTime.UtcNow;
            using Process child = ChildProcessEntry.Start("checkpoint-writer", folder);
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, e) => Report(e.Data);
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            try
            {
                string last = Path.Combine(folder, "last.ckpt");
                WaitFor(() => File.Exists(last) && File.GetLastWriteTimeUtc(last) > started, child);

                // Odd rounds kill at a random moment; even rounds as soon as a checkpoint's temporary file appears,
                // so that some kills certainly land inside a write.
                if (round % 2 == 1)
                {
                    Thread.Sleep(random.Next(0, 400));
                }
                else
                {
                    WaitFor(() => PartialFiles(folder).Except(known).Any(), child);
                    Thread.Sleep(random.Next(0, 3));
                }
            }
            finally
            {
                // Kill also when a wait failed, so that no writer outlives the test.
                if (!child.HasExited)
                {
                    child.Kill();
                }

                child.WaitForExit();
            }

            bool partialLeft = PartialFiles(folder).Except(known).Any();
            midWrite += partialLeft ? 1 : 0;

            TrainingResult loaded = Load(Path.Combine(folder, "last.ckpt"));
            TrainingResult best = Load(Path.Combine(folder, "best.ckpt"));
            output.WriteLine(
                $"round {round}: killed {(partialLeft ? "inside a write" : "between writes")}; " +
                $"last.ckpt holds {loaded.History.Count} epochs");
            Assert.True(loaded.History.Count >= 1, "the checkpoint holds no completed epoch");
            Assert.True(best.History.Count >= 1, "the best checkpoint holds no completed epoch");
        }

        output.WriteLine($"{midWrite} of {Rounds} kills left a half-written temporary file behind.");
    }

    /// <summary>The child's work: train a TCDCN network on 16 faces, one batch an epoch, writing a checkpoint
    /// after every epoch (about one megabyte each), until killed.</summary>
    internal static int WriteCheckpointsForever(string folder)
    {
        using ColumnNetwork model = NetworkFactory.Create(new NetworkConfig());
        var options = new TrainerOptions
        {
            Epochs = 1_000_000,
            BatchSize = 16,
            Device = DeviceRequest.Cpu,
            CpuThreads = 1,
            DecodeParallelism = 1,
            ValidationFraction = 0.25,
            CheckpointDirectory = folder,
            CheckpointEvery = 1,
            ResumeFrom = File.Exists(Path.Combine(folder, "last.ckpt")) ? Path.Combine(folder, "last.ckpt") : null,
        };
        new Trainer(options).FitAsync(model, TinyTraining.Faces(16)).GetAwaiter().GetResult();
        return 0;
    }

    private static TrainingResult Load(string checkpoint)
    {
        // Resuming a run whose epochs are all done loads the whole checkpoint (weights, optimizer, best weights,
        // trainer state) and trains nothing.
        using ColumnNetwork model = NetworkFactory.Create(new NetworkConfig());
        var options = new TrainerOptions
        {
            Epochs = 1,
            Device = DeviceRequest.Cpu,
            DecodeParallelism = 1,
            ValidationFraction = 0.25,
            ResumeFrom = checkpoint,
        };
        return new Trainer(options).FitAsync(model, TinyTraining.Faces(16)).GetAwaiter().GetResult();
    }

    private void Report(string? line)
    {
        if (line is not null)
        {
            output.WriteLine(line);
        }
    }

    private static IEnumerable<string> PartialFiles(string folder) => Directory.GetFiles(folder, "*.partial");

    private static void WaitFor(Func<bool> condition, Process child)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(child.HasExited, "the checkpoint writer exited early");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the checkpoint writer did nothing within 3 minutes");
            Thread.Sleep(1);
        }
    }
}
