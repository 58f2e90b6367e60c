namespace MultiTask.Landmarks.Modules;

/// <summary>
/// The learned mixing weights of one cross-stitch unit, as plain data a sample can plot.
/// <c>Weights[from][to]</c> is how much column <c>to</c> takes from column <c>from</c> (averaged over channels in
/// <see cref="CrossStitchMode.PerChannel"/> mode); the diagonal is what a column keeps of its own activations.
/// </summary>
/// <param name="Stage">The stage after which the unit mixes.</param>
/// <param name="Columns">The columns' names (a task's name, or its group's tasks joined by '_').</param>
/// <param name="Weights">The mixing matrix, indexed [from][to].</param>
public sealed record CrossStitchWeights(string Stage, IReadOnlyList<string> Columns, double[][] Weights);
