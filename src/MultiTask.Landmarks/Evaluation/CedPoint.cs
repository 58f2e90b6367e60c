namespace MultiTask.Landmarks.Evaluation;

/// <summary>One point of a cumulative error distribution.</summary>
/// <param name="Threshold">The normalised error.</param>
/// <param name="Share">The share of faces (0..1) whose mean normalised error is at most <paramref name="Threshold"/>.
/// </param>
public readonly record struct CedPoint(double Threshold, double Share);
