namespace MultiTask.Landmarks.Data;

/// <summary>
/// The MTFL face attributes as zero-based class labels, each <see cref="Unknown"/> when not annotated. Classes:
/// gender 0 male, 1 female; smile and glasses 0 yes, 1 no; pose 0..4 left profile, left, frontal, right, right profile.
/// </summary>
/// <param name="Gender">The gender class, or <see cref="Unknown"/>.</param>
/// <param name="Smile">The smile class, or <see cref="Unknown"/>.</param>
/// <param name="Glasses">The glasses class, or <see cref="Unknown"/>.</param>
/// <param name="Pose">The head pose class, or <see cref="Unknown"/>.</param>
public readonly record struct FaceAttributes(int Gender, int Smile, int Glasses, int Pose)
{
    /// <summary>The label of an attribute that is not annotated.</summary>
    public const int Unknown = -1;

    /// <summary>Gets attributes that are all unknown.</summary>
    public static FaceAttributes None => new(Unknown, Unknown, Unknown, Unknown);

    /// <summary>
    /// Gets the label of the named attribute (<c>gender</c>, <c>smile</c>, <c>glasses</c>, <c>pose</c>).
    /// </summary>
    /// <param name="name">The attribute's name, as in <see cref="AttributeNames"/>.</param>
    /// <returns>The label, or <see cref="Unknown"/>.</returns>
    /// <exception cref="ArgumentException">The name is not one of <see cref="AttributeNames"/>.</exception>
    public int Get(string name) => name switch
    {
        "gender" => Gender,
        "smile" => Smile,
        "glasses" => Glasses,
        "pose" => Pose,
        _ => throw new ArgumentException(
            $"Unknown attribute '{name}'; expected one of {string.Join(", ", AttributeNames)}.", nameof(name)),
    };

    /// <summary>Gets the attribute names in the order of the attribute columns of a batch.</summary>
    public static IReadOnlyList<string> AttributeNames { get; } = new[] { "gender", "smile", "glasses", "pose" };

    /// <summary>Gets the number of classes of each attribute, in the order of <see cref="AttributeNames"/>.</summary>
    public static IReadOnlyList<int> ClassCounts { get; } = new[] { 2, 2, 2, 5 };
}
