using System.Diagnostics;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Training;

/// <summary>The training and validation passes of one epoch.</summary>
internal sealed partial class TrainingRun
{
    /// <summary>Trains one epoch; returns its summary, or <see langword="null"/> when cancelled.</summary>
    private EpochSummary? RunEpoch(int epoch)
    {
        var clock = Stopwatch.StartNew();
        var trainingClock = new Stopwatch();
        int batches = training.BatchesPerEpoch;
        int skip = state.CompletedBatches;
        var sums = new Dictionary<string, double>(state.PartialLossSums, StringComparer.Ordinal);
        double totalSum = state.PartialTotalLoss;
        long faces = state.PartialFaces, timedFaces = 0;
        var parameters = model.parameters().ToList();
        model.train();

        int batchIndex = 0;

        // The throughput clock runs over the whole loop, so it counts rendering each batch (augmentation and
        // assembly, on this thread) as well as the step: what a user waits for. Progress reports and callbacks,
        // which run user code, are left out, and so is regenerating the batches a resumed epoch skips.
        trainingClock.Start();
        foreach (FaceBatch batch in training.GetTrainingBatches(epoch, device, CancellationToken.None))
        {
            using (batch)
            {
                // A resumed run regenerates the interrupted epoch's batches (they are a pure function of the seed and
                // the epoch) and skips those already trained, so it sees exactly the faces it would have seen.
                if (batchIndex < skip)
                {
                    batchIndex++;
                    trainingClock.Restart();
                    continue;
                }

                if (cancellation.IsCancellationRequested)
                {
                    SaveInterrupted(epoch, batchIndex, sums, totalSum, faces);
                    return null;
                }

                (double total, Dictionary<string, double> taskLosses) =
                    Step(epoch, batchIndex, batches, batch, parameters);
                collector.StepDone();
                trainingClock.Stop();

                int count = batch.Count;
                faces += count;
                timedFaces += count;
                totalSum += total * count;
                foreach ((string task, double value) in taskLosses)
                {
                    sums[task] = sums.GetValueOrDefault(task) + (value * count);
                }

                batchIndex++;
                var report = new TrainingProgress
                {
                    Epoch = epoch + 1,
                    TotalEpochs = options.Epochs,
                    Batch = batchIndex,
                    BatchesPerEpoch = batches,
                    Loss = total,
                    FacesPerSecond = timedFaces / Math.Max(trainingClock.Elapsed.TotalSeconds, 1e-9),
                };
                progress?.Report(report);
                foreach (ITrainingCallback callback in trainer.Callbacks)
                {
                    callback.OnBatchEnd(report);
                }

                trainingClock.Start();
            }
        }

        trainingClock.Stop();

        state.CompletedBatches = 0;
        state.PartialLossSums.Clear();
        state.PartialTotalLoss = 0;
        state.PartialFaces = 0;
        var trainingLosses = sums.ToDictionary(
            pair => pair.Key, pair => pair.Value / Math.Max(faces, 1), StringComparer.Ordinal);
        ValidationResult? validated = validation is null ? null : Validate();
        return new EpochSummary
        {
            Epoch = epoch + 1,
            TrainingLosses = trainingLosses,
            TrainingLoss = totalSum / Math.Max(faces, 1),
            ValidationLosses = validated?.Losses ?? new Dictionary<string, double>(),
            ValidationInterOcularError = validated?.InterOcularError,
            ValidationCropWidthError = validated?.CropWidthError,
            ValidationAccuracies = validated?.Accuracies ?? new Dictionary<string, double>(),
            LearningRateFactor = schedule.FactorAt(epoch, Math.Max(batches - 1, 0), Math.Max(batches, 1)),
            StoppedTasks = taskStopping.StoppedTasks.Order(StringComparer.Ordinal).ToArray(),
            Duration = clock.Elapsed,
            TrainingFacesPerSecond = timedFaces / Math.Max(trainingClock.Elapsed.TotalSeconds, 1e-9),
        };
    }

    private (double Total, Dictionary<string, double> TaskLosses) Step(
        int epoch, int batchIndex, int batches, FaceBatch batch, List<TorchSharp.Modules.Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        SetLearningRate(schedule.FactorAt(epoch, batchIndex, batches));
        optimizer!.zero_grad();

        Dictionary<string, Tensor> outputs = model.forward(batch.Images);
        using MultiTaskLossResult result = losses.Compute(
            WithoutStoppedTasks(outputs), batch, model.RegularizationLoss(), sharedParameters);
        Tensor total = result.Total;

        total.backward();

        // The fused kernels' last input gradients go now, before the optimiser allocates.
        MultiTaskNetwork.ReleaseBackwardBuffers();
        DropStoppedHeadGradients();
        if (options.GradientClipNorm is double limit)
        {
            nn.utils.clip_grad_norm_(parameters, limit);
        }

        optimizer.step();
        losses.Weighting.AfterOptimizerStep();

        var values = result.TaskLosses.ToDictionary(
            pair => pair.Key, pair => (double)pair.Value.item<float>(), StringComparer.Ordinal);
        return (total.item<float>(), values);
    }

    /// <summary>
    /// Cuts an auxiliary task stopped by the TCDCN criterion off from the gradient: its output is detached, so its
    /// loss still shows in the history but no longer moves any weight.
    /// </summary>
    private Dictionary<string, Tensor> WithoutStoppedTasks(Dictionary<string, Tensor> outputs)
    {
        if (taskStopping.StoppedTasks.Count == 0)
        {
            return outputs;
        }

        return outputs.ToDictionary(
            pair => pair.Key,
            pair => taskStopping.IsStopped(pair.Key) ? pair.Value.detach() : pair.Value,
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Detaching a stopped task's output leaves its head's gradient at the zeros of <c>zero_grad</c>, and Adam would
    /// still move the head on its running moments (and weight decay on the weights); a head without a gradient is
    /// skipped by every optimizer, so the stopped head stays exactly where it stopped.
    /// </summary>
    private void DropStoppedHeadGradients()
    {
        if (taskStopping.StoppedTasks.Count == 0)
        {
            return;
        }

        foreach ((string name, TorchSharp.Modules.Parameter parameter) in model.named_parameters())
        {
            // Head parameters are named heads.{task}.* (a pinned state_dict layout).
            string[] parts = name.Split('.');
            if (parts.Length == 3 && parts[0] == "heads" && taskStopping.IsStopped(parts[1]))
            {
                parameter.grad = null;
            }
        }
    }

    private sealed record ValidationResult(
        Dictionary<string, double> Losses,
        double InterOcularError,
        double CropWidthError,
        Dictionary<string, double> Accuracies);

    private ValidationResult Validate()
    {
        model.eval();
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var correct = new Dictionary<string, long>(StringComparer.Ordinal);
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        double interOcularSum = 0, cropWidthSum = 0;
        long faces = 0, measured = 0;
        float width = training.Options.Crop.Width, height = training.Options.Crop.Height;
        TaskSpec? landmarkTask = tasks.FirstOrDefault(t => t.Kind == TaskKind.Landmarks);
        using (no_grad())
        {
            foreach (FaceBatch batch in validation!.GetEvaluationBatches(device))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    Dictionary<string, Tensor> outputs = model.forward(batch.Images);
                    using MultiTaskLossResult result = losses.Compute(outputs, batch);
                    foreach ((string task, Tensor loss) in result.TaskLosses)
                    {
                        sums[task] = sums.GetValueOrDefault(task) + (loss.item<float>() * batch.Count);
                    }

                    foreach (TaskSpec task in tasks.Where(t => t.Kind == TaskKind.Classification))
                    {
                        Tensor labels = batch.AttributeLabels(task.Name);
                        Tensor isKnown = labels.ge(0);
                        Tensor hits = outputs[task.Name].argmax(1).eq(labels).logical_and(isKnown);
                        correct[task.Name] = correct.GetValueOrDefault(task.Name) + hits.sum().item<long>();
                        known[task.Name] = known.GetValueOrDefault(task.Name) + isKnown.sum().item<long>();
                    }

                    if (landmarkTask is not null)
                    {
                        (double io, double crop, long count) =
                            LandmarkErrors(outputs[landmarkTask.Name], batch, width, height);
                        interOcularSum += io;
                        cropWidthSum += crop;
                        measured += count;
                    }

                    faces += batch.Count;
                }
            }
        }

        model.train();
        return new ValidationResult(
            sums.ToDictionary(pair => pair.Key, pair => pair.Value / Math.Max(faces, 1), StringComparer.Ordinal),
            measured > 0 ? interOcularSum / measured : double.NaN,
            measured > 0 ? cropWidthSum / measured : double.NaN,
            known.Where(pair => pair.Value > 0).ToDictionary(
                pair => pair.Key, pair => (double)correct[pair.Key] / pair.Value, StringComparer.Ordinal));
    }

    /// <summary>Sums, over faces, the mean point error normalised by the inter-ocular distance (points 0 and 1 are
    /// the eye centres) and by the crop width, measured in crop pixels.</summary>
    private static (double InterOcular, double CropWidth, long Faces) LandmarkErrors(
        Tensor predicted, FaceBatch batch, float width, float height)
    {
        Tensor scale = tensor(new[] { width, height }, device: predicted.device);
        Tensor target = batch.Landmarks * scale;
        Tensor guess = predicted.reshape(batch.Landmarks.shape) * scale;
        Tensor present = batch.LandmarkMask.gt(0);
        Tensor distance = (guess - target).square().sum(2).sqrt();
        distance = where(present, distance, zeros_like(distance));
        Tensor points = present.sum(1).to(ScalarType.Float32);
        Tensor perFace = distance.sum(1) / points.clamp_min(1);
        Tensor interOcular = (target.select(1, 0) - target.select(1, 1)).square().sum(1).sqrt();
        Tensor usable = points.gt(0).logical_and(present.select(1, 0)).logical_and(present.select(1, 1))
            .logical_and(interOcular.gt(1e-6));
        Tensor io = where(usable, perFace / interOcular.clamp_min(1e-6), zeros_like(perFace)).sum();
        Tensor crop = where(usable, perFace / width, zeros_like(perFace)).sum();
        return (io.item<float>(), crop.item<float>(), usable.sum().item<long>());
    }
}
