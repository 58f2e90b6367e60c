using System.Globalization;

namespace MultiTask.Landmarks.Data.Readers;

/// <summary>Splitting and number parsing for annotation lines, with errors that name the line and column.</summary>
internal static class Fields
{
    private static readonly char[] Blanks = { ' ', '\t' };

    public static string[] SplitBlanks(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    public static void RequireCount(string[] fields, int expected, string layout, SampleOrigin origin)
    {
        if (fields.Length != expected)
        {
            throw new InvalidDataException(
                $"{origin}: expected {expected} columns ({layout}) but found {fields.Length}.");
        }
    }

    public static float Number(string text, string column, SampleOrigin origin)
    {
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw new InvalidDataException($"{origin}: column {column} holds '{text}', which is not a number.");
        }

        if (!float.IsFinite(value))
        {
            throw new InvalidDataException($"{origin}: column {column} holds '{text}', which is not a finite number.");
        }

        return value;
    }

    public static int Integer(string text, string column, int min, int max, SampleOrigin origin)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new InvalidDataException($"{origin}: column {column} holds '{text}', which is not an integer.");
        }

        if (value < min || value > max)
        {
            throw new InvalidDataException(
                $"{origin}: column {column} holds {value}, outside the allowed range {min}..{max}.");
        }

        return value;
    }
}
