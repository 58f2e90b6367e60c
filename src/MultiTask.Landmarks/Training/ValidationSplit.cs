namespace MultiTask.Landmarks.Training;

/// <summary>Splits a training set into training and validation parts with a fixed seed.</summary>
public static class ValidationSplit
{
    /// <summary>Splits <paramref name="items"/> by a seeded shuffle; the same seed always gives the same split.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <param name="fraction">The share that goes to validation, in (0, 1).</param>
    /// <param name="seed">The shuffle's seed.</param>
    /// <returns>The training and validation parts, each in the original relative order.</returns>
    public static (IReadOnlyList<T> Training, IReadOnlyList<T> Validation) Split<T>(
        IReadOnlyList<T> items, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (fraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(fraction), fraction, "The validation fraction must lie between 0 and 1.");
        }

        int validationCount = (int)Math.Round(items.Count * fraction);
        if (validationCount < 1 || validationCount >= items.Count)
        {
            throw new ArgumentException(
                $"A validation fraction of {fraction} leaves no faces on one side of {items.Count}.", nameof(fraction));
        }

        int[] order = Enumerable.Range(0, items.Count).ToArray();
        new Random(seed).Shuffle(order);
        var validation = new HashSet<int>(order.Take(validationCount));
        var training = new List<T>(items.Count - validationCount);
        var held = new List<T>(validationCount);
        for (int i = 0; i < items.Count; i++)
        {
            (validation.Contains(i) ? held : training).Add(items[i]);
        }

        return (training, held);
    }
}
