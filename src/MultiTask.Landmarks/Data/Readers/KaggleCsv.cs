namespace MultiTask.Landmarks.Data.Readers;

/// <summary>The comma-separated layout of the Kaggle Facial Keypoints files: a header naming the columns, then rows
/// without quoting (pixels are separated by spaces, never commas).</summary>
internal sealed class KaggleCsv
{
    private readonly Dictionary<string, int> columns;

    private KaggleCsv(string[] names)
    {
        Names = names;
        columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            columns[names[i]] = i;
        }
    }

    public string[] Names { get; }

    public int Count => Names.Length;

    /// <summary>Reads the header line and checks that it has the required columns and no unknown or repeated ones.
    /// </summary>
    public static KaggleCsv ReadHeader(TextReader reader, string source, IReadOnlyCollection<string> required)
    {
        var origin = new SampleOrigin(source, 1);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new InvalidDataException($"{origin}: the file is empty; expected a header naming the columns.");
        }

        string[] names = Split(header);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (!seen.Add(name))
            {
                throw new InvalidDataException($"{origin}: the header names column '{name}' twice.");
            }

            if (!required.Contains(name))
            {
                throw new InvalidDataException($"{origin}: the header names an unknown column '{name}'.");
            }
        }

        string[] absent = required.Where(name => !seen.Contains(name)).ToArray();
        if (absent.Length > 0)
        {
            throw new InvalidDataException($"{origin}: the header lacks the columns {string.Join(", ", absent)}.");
        }

        return new KaggleCsv(names);
    }

    public int IndexOf(string name) => columns[name];

    public string[] Row(string text, SampleOrigin origin)
    {
        string[] fields = Split(text);
        if (fields.Length != Count)
        {
            throw new InvalidDataException($"{origin}: expected {Count} comma-separated columns but found "
                + $"{fields.Length}.");
        }

        return fields;
    }

    // Kaggle's files have no quoting; a spreadsheet that re-saves them may quote every cell, so quotes are dropped.
    private static string[] Split(string text) =>
        text.Split(',').Select(field => field.Trim().Trim('"').Trim()).ToArray();
}
