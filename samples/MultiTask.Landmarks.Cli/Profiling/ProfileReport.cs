namespace MultiTask.Landmarks.Cli.Profiling;

/// <summary>The JSON of mtl profile. Fixed field names: parameters, trainSamplesPerSecond, inferenceLatencyMs
/// (batch of 1), batchRenderMs (augmenting and assembling one
/// training batch alone, part of every timed step), inferenceFacesPerSecond (batch of 256), peakWorkingSetMb.</summary>
internal sealed record ProfileReport(
    string Preset,
    string Architecture,
    IReadOnlyList<string> Tasks,
    string Device,
    int CpuThreads,
    long Parameters,
    int BatchSize,
    int Steps,
    int WarmupSteps,
    double TrainSamplesPerSecond,
    double TrainStepMs,
    double BatchRenderMs,
    int InferenceImageSize,
    double InferenceLatencyMs,
    int InferenceBatchSize,
    double InferenceFacesPerSecond,
    double PeakWorkingSetMb);
