namespace MultiTask.Landmarks.Modules;

/// <summary>A trunk: its input shape and its stages, in order. Serialisable with System.Text.Json.</summary>
/// <param name="Name">The trunk's name (the preset's name for presets).</param>
/// <param name="Channels">Input channels (1 for grey).</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Width">Input width in pixels.</param>
/// <param name="Stages">The stages, in order.</param>
public sealed record TrunkSpec(string Name, int Channels, int Height, int Width, IReadOnlyList<StageSpec> Stages)
{
    /// <summary>Gets the input shape [C, H, W].</summary>
    public long[] InputShape => new long[] { Channels, Height, Width };

    /// <summary>Computes the input shape of every stage and the trunk's output shape (the last entry).</summary>
    /// <returns><see cref="Stages"/>.Count + 1 shapes.</returns>
    /// <exception cref="ArgumentException">The trunk has no stages, a stage name repeats or holds a dot, or a
    /// stage does not fit its input.</exception>
    public IReadOnlyList<long[]> Shapes()
    {
        if (Stages is null || Stages.Count == 0)
        {
            throw new ArgumentException($"Trunk '{Name}' has no stages.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var shapes = new List<long[]> { InputShape };
        foreach (StageSpec stage in Stages)
        {
            if (string.IsNullOrEmpty(stage.Name) || stage.Name.Contains('.', StringComparison.Ordinal)
                || !names.Add(stage.Name))
            {
                throw new ArgumentException(
                    $"Trunk '{Name}': stage name '{stage.Name}' is empty, holds a dot or repeats.");
            }

            shapes.Add(stage.OutputShape(shapes[^1]));
        }

        return shapes;
    }

    /// <summary>Gets the index of the named stage.</summary>
    /// <param name="stage">The stage's name.</param>
    /// <returns>The zero-based index.</returns>
    /// <exception cref="ArgumentException">No stage has that name.</exception>
    public int IndexOf(string stage)
    {
        for (int i = 0; i < Stages.Count; i++)
        {
            if (Stages[i].Name == stage)
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"Trunk '{Name}' has no stage '{stage}'; it has {string.Join(", ", Stages.Select(s => s.Name))}.",
            nameof(stage));
    }
}
