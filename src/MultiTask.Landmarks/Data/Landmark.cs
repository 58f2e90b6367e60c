namespace MultiTask.Landmarks.Data;

/// <summary>One facial point in image pixels (0-based), or a point the annotation does not give.</summary>
/// <param name="X">The horizontal position.</param>
/// <param name="Y">The vertical position.</param>
/// <param name="IsMissing">Whether the annotation leaves this point out; then X and Y are meaningless.</param>
public readonly record struct Landmark(float X, float Y, bool IsMissing = false)
{
    /// <summary>Gets a point the annotation does not give.</summary>
    public static Landmark Missing => new(float.NaN, float.NaN, true);
}
