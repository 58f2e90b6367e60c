namespace MultiTask.Landmarks.Evaluation;

/// <summary>The accuracy and confusion matrix of one attribute over the faces whose label is known.</summary>
public sealed class AttributeMetrics
{
    /// <summary>Initializes a new instance of the <see cref="AttributeMetrics"/> class.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="confusion">The confusion matrix: row the true class, column the predicted class.</param>
    /// <exception cref="ArgumentException">The matrix is not square.</exception>
    public AttributeMetrics(string name, IReadOnlyList<IReadOnlyList<long>> confusion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(confusion);
        if (confusion.Any(row => row.Count != confusion.Count))
        {
            throw new ArgumentException($"The confusion matrix of '{name}' is not square.", nameof(confusion));
        }

        Name = name;
        Confusion = confusion.Select(row => (IReadOnlyList<long>)row.ToArray()).ToArray();
        Faces = Confusion.Sum(row => row.Sum());
        long correct = Enumerable.Range(0, Confusion.Count).Sum(i => Confusion[i][i]);
        Accuracy = Faces == 0 ? null : (double)correct / Faces;
    }

    /// <summary>Gets the attribute's name.</summary>
    public string Name { get; }

    /// <summary>Gets the number of faces whose label is known.</summary>
    public long Faces { get; }

    /// <summary>Gets the share of those faces classified correctly, or <see langword="null"/> when there are none.
    /// </summary>
    public double? Accuracy { get; }

    /// <summary>Gets the confusion matrix: <c>Confusion[true][predicted]</c> counts faces.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Confusion { get; }
}
