using System.Globalization;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Training;

/// <summary>
/// What happens between epochs: task-wise stopping, best weights, early stopping, checkpoints, resume.
/// </summary>
internal sealed partial class TrainingRun
{
    private const string LastCheckpointName = "last.ckpt";
    private const string BestCheckpointName = "best.ckpt";

    /// <summary>Records the epoch; returns <see langword="true"/> when the run should stop.</summary>
    private bool EndEpoch(EpochSummary summary)
    {
        int epoch = summary.Epoch;
        if (options.TaskWiseEarlyStopping && summary.ValidationLosses.Count > 0)
        {
            foreach (TaskSpec task in tasks.Where(t => t.Kind == TaskKind.Classification))
            {
                if (summary.TrainingLosses.TryGetValue(task.Name, out double trainingLoss)
                    && summary.ValidationLosses.TryGetValue(task.Name, out double validationLoss)
                    && taskStopping.Update(task.Name, trainingLoss, validationLoss, task.LossWeight))
                {
                    TrainingLog.AuxiliaryTaskStopped(logger, task.Name, epoch);
                }
            }

            summary = CopyWithStoppedTasks(summary);
        }

        losses.Weighting.EndEpoch();
        state.History.Add(summary);
        state.CompletedEpochs = epoch;
        double score = summary.ValidationInterOcularError ?? double.NaN;
        bool improved = double.IsFinite(score) && score < state.BestScore;
        if (improved)
        {
            state.BestScore = score;
            state.BestEpoch = epoch;
            state.EpochsWithoutImprovement = 0;
            KeepBestWeights();
        }
        else if (double.IsFinite(score))
        {
            state.EpochsWithoutImprovement++;
        }

        string interOcular = double.IsFinite(score) ? score.ToString("P2", CultureInfo.InvariantCulture) : "n/a";
        TrainingLog.EpochCompleted(logger, epoch, options.Epochs, summary.TrainingLoss, interOcular,
            summary.TrainingFacesPerSecond, summary.Duration.TotalSeconds);

        bool stop = options.EarlyStoppingPatience is int patience && state.EpochsWithoutImprovement >= patience;
        if (stop)
        {
            TrainingLog.EarlyStopped(logger, epoch, options.EarlyStoppingPatience!.Value, state.BestEpoch);
        }

        foreach (ITrainingCallback callback in trainer.Callbacks)
        {
            stop |= callback.OnEpochEnd(summary);
        }

        bool last = stop || epoch == options.Epochs;
        if (options.CheckpointDirectory is not null)
        {
            if (improved)
            {
                WriteCheckpoint(BestCheckpointName, epoch, 0);
            }

            if (last || (options.CheckpointEvery > 0 && epoch % options.CheckpointEvery == 0))
            {
                WriteCheckpoint(LastCheckpointName, epoch, 0);
            }
        }

        progress?.Report(new TrainingProgress
        {
            Epoch = epoch,
            TotalEpochs = options.Epochs,
            Batch = training.BatchesPerEpoch,
            BatchesPerEpoch = training.BatchesPerEpoch,
            Loss = summary.TrainingLoss,
            FacesPerSecond = summary.TrainingFacesPerSecond,
            CompletedEpoch = summary,
        });
        return stop;
    }

    private EpochSummary CopyWithStoppedTasks(EpochSummary summary) => new()
    {
        Epoch = summary.Epoch,
        TrainingLosses = summary.TrainingLosses,
        TrainingLoss = summary.TrainingLoss,
        ValidationLosses = summary.ValidationLosses,
        ValidationInterOcularError = summary.ValidationInterOcularError,
        ValidationCropWidthError = summary.ValidationCropWidthError,
        ValidationAccuracies = summary.ValidationAccuracies,
        LearningRateFactor = summary.LearningRateFactor,
        StoppedTasks = taskStopping.StoppedTasks.Order(StringComparer.Ordinal).ToArray(),
        Duration = summary.Duration,
        TrainingFacesPerSecond = summary.TrainingFacesPerSecond,
    };

    private void KeepBestWeights()
    {
        if (!options.RestoreBestWeights && options.CheckpointDirectory is null)
        {
            return;
        }

        DisposeBestWeights();
        bestWeights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in model.state_dict())
        {
            bestWeights[name] = value.detach().cpu().clone();
        }
    }

    private void SaveInterrupted(int epoch, int batch, Dictionary<string, double> sums, double totalSum, long faces)
    {
        TrainingLog.Cancelled(logger, epoch + 1, batch);
        if (options.CheckpointDirectory is null)
        {
            return;
        }

        state.CompletedBatches = batch;
        state.PartialLossSums = new Dictionary<string, double>(sums, StringComparer.Ordinal);
        state.PartialTotalLoss = totalSum;
        state.PartialFaces = faces;
        WriteCheckpoint(LastCheckpointName, epoch, batch);
    }

    private void WriteCheckpoint(string name, int epoch, int batch)
    {
        state.AuxiliaryTrainingErrors = taskStopping.TrainingErrors();
        state.StoppedTasks = taskStopping.StoppedTasks.ToList();
        string path = Path.Combine(options.CheckpointDirectory!, name);
        TrainingCheckpoint.Save(path, state, model, optimizer!, losses, bestWeights);
        lastCheckpoint = path;
        TrainingLog.CheckpointWritten(logger, path, epoch, batch);
    }

    private void Resume(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The checkpoint to resume from, '{path}', does not exist.", path);
        }

        (TrainingState loaded, Dictionary<string, Tensor>? best) =
            TrainingCheckpoint.Load(path, model, optimizer!, losses);
        if (loaded.Seed != options.Seed)
        {
            throw new InvalidOperationException(
                $"Checkpoint '{path}' was written by a run with seed {loaded.Seed}; " +
                $"resume it with the same seed, not {options.Seed}.");
        }

        state = loaded;
        state.TotalEpochs = options.Epochs;
        DisposeBestWeights();
        bestWeights = best;
        taskStopping.Restore(
            state.AuxiliaryTrainingErrors.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<double>)pair.Value),
            state.StoppedTasks);
        TrainingLog.Resumed(logger, path, state.CompletedEpochs + 1, state.CompletedBatches);
    }

    /// <summary>Writes each epoch's scalars for TensorBoard.</summary>
    private sealed class BoardWriter : IDisposable
    {
        private readonly TorchSharp.Modules.SummaryWriter writer;

        public BoardWriter(string folder)
        {
            writer = utils.tensorboard.SummaryWriter(folder);
        }

        public void Write(EpochSummary summary)
        {
            writer.add_scalar("loss/train", (float)summary.TrainingLoss, summary.Epoch);
            foreach ((string task, double value) in summary.TrainingLosses)
            {
                writer.add_scalar($"train/{task}", (float)value, summary.Epoch);
            }

            foreach ((string task, double value) in summary.ValidationLosses)
            {
                writer.add_scalar($"validation/{task}", (float)value, summary.Epoch);
            }

            if (summary.ValidationInterOcularError is double error)
            {
                writer.add_scalar("validation/nme_inter_ocular", (float)error, summary.Epoch);
            }

            writer.add_scalar("train/faces_per_second", (float)summary.TrainingFacesPerSecond, summary.Epoch);
        }

        public void Dispose()
        {
            // SummaryWriter flushes each event as it is written and holds no native resources.
        }
    }
}
