namespace MultiTask.Landmarks.Data;

/// <summary>An axis-aligned face box in image pixels (0-based, x to the right, y down).</summary>
/// <param name="X">The left edge.</param>
/// <param name="Y">The top edge.</param>
/// <param name="Width">The width; positive.</param>
/// <param name="Height">The height; positive.</param>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    /// <summary>Gets the horizontal centre.</summary>
    public float CenterX => X + (Width / 2);

    /// <summary>Gets the vertical centre.</summary>
    public float CenterY => Y + (Height / 2);

    /// <summary>Gets the right edge.</summary>
    public float Right => X + Width;

    /// <summary>Gets the bottom edge.</summary>
    public float Bottom => Y + Height;

    /// <summary>Creates a box from its edges.</summary>
    /// <param name="left">The left edge.</param>
    /// <param name="top">The top edge.</param>
    /// <param name="right">The right edge.</param>
    /// <param name="bottom">The bottom edge.</param>
    /// <returns>The box.</returns>
    public static FaceBox FromEdges(float left, float top, float right, float bottom) =>
        new(left, top, right - left, bottom - top);
}
