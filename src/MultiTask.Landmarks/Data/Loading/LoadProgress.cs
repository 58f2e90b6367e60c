namespace MultiTask.Landmarks.Data.Loading;

/// <summary>Progress of the decode pass of a <see cref="FaceBatchLoader"/>.</summary>
/// <param name="Completed">The number of samples done so far, failed ones included.</param>
/// <param name="Total">The number of samples.</param>
/// <param name="Failed">The number of samples whose image or annotation could not be used.</param>
public readonly record struct LoadProgress(int Completed, int Total, int Failed);
