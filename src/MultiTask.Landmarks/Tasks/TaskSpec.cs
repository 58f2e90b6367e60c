namespace MultiTask.Landmarks.Tasks;

/// <summary>One task of a multi-task network: its name, what it predicts, and its weight in the total loss.</summary>
/// <param name="Name">
/// The task's name; for attribute tasks it is the attribute's name (gender, smile, glasses, pose).
/// </param>
/// <param name="Kind">What the task predicts.</param>
/// <param name="Size">The number of landmark points for <see cref="TaskKind.Landmarks"/>, or of classes for
/// <see cref="TaskKind.Classification"/>.</param>
/// <param name="LossWeight">The task's weight in the total loss under fixed weighting.</param>
public sealed record TaskSpec(string Name, TaskKind Kind, int Size, float LossWeight = 1f)
{
    /// <summary>
    /// The default loss weight of the landmark task, against 1 for each attribute. The landmark loss is measured in
    /// the crop's unit frame, where a 2 % error is an MSE of 4e-4, while a cross-entropy starts near 0.7: with equal
    /// weights the attribute losses own the shared trunk's gradient and the landmarks barely learn (docs/training.md
    /// gives the figures). A thousand puts the two on one scale; it is also about where uncertainty weighting settles.
    /// </summary>
    public const float DefaultLandmarkLossWeight = 1000f;

    /// <summary>Gets the number of network outputs of the task's head.</summary>
    public int Outputs => Kind == TaskKind.Landmarks ? Size * 2 : Size;

    /// <summary>Creates the landmark task.</summary>
    /// <param name="points">The number of points.</param>
    /// <param name="lossWeight">The loss weight; the default is <see cref="DefaultLandmarkLossWeight"/>.</param>
    /// <returns>The task.</returns>
    public static TaskSpec Landmarks(int points = 5, float lossWeight = DefaultLandmarkLossWeight) =>
        new("landmarks", TaskKind.Landmarks, points, lossWeight);

    /// <summary>Creates a classification task.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="lossWeight">The loss weight.</param>
    /// <returns>The task.</returns>
    public static TaskSpec Classification(string name, int classes, float lossWeight = 1f) =>
        new(name, TaskKind.Classification, classes, lossWeight);

    /// <summary>Gets the MTFL tasks: 5 landmarks, gender 2, smile 2, glasses 2, pose 5.</summary>
    public static IReadOnlyList<TaskSpec> Mtfl { get; } = new[]
    {
        Landmarks(5),
        Classification("gender", 2),
        Classification("smile", 2),
        Classification("glasses", 2),
        Classification("pose", 5),
    };
}
