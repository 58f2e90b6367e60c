namespace MultiTask.Landmarks.Cli.Profiling;

/// <summary>The JSON of mtl profile. Fixed field names: parameters, trainSamplesPerSecond, batchRenderMs (augmenting
/// and assembling one training batch alone, part of every timed step), inferenceLatencyMs (the predictor on one photo,
/// crop included), inferenceFacesPerSecond (the predictor, batch of 256), networkLatencyMs and networkFacesPerSecond
/// (the network alone on ready crops, one face and 256), peakWorkingSetMb.</summary>
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
    double NetworkLatencyMs,
    double NetworkFacesPerSecond,
    double PeakWorkingSetMb);
