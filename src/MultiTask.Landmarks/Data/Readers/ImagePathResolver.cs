namespace MultiTask.Landmarks.Data.Readers;

/// <summary>
/// Joins the relative image paths of annotation files to an image root. Paths may use backslashes (the CUHK lists
/// were written on Windows) or slashes; a path that is absolute or climbs out of the root with <c>..</c> is refused,
/// so that an annotation file can never make a reader open a file outside its data set.
/// </summary>
public sealed class ImagePathResolver
{
    private readonly string rootWithSeparator;

    /// <summary>Initializes a new instance of the <see cref="ImagePathResolver"/> class.</summary>
    /// <param name="imageRoot">The folder the annotation's paths are relative to.</param>
    /// <exception cref="ArgumentException">The root is null, empty or white space.</exception>
    public ImagePathResolver(string imageRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imageRoot);
        ImageRoot = Path.GetFullPath(imageRoot);
        rootWithSeparator = Path.EndsInDirectorySeparator(ImageRoot)
            ? ImageRoot
            : ImageRoot + Path.DirectorySeparatorChar;
    }

    /// <summary>Gets the full path of the image root.</summary>
    public string ImageRoot { get; }

    /// <summary>Resolves an annotation's image path to a full path under the root.</summary>
    /// <param name="relativePath">The path as written in the annotation file.</param>
    /// <param name="origin">The annotation file and line, for the error message.</param>
    /// <returns>The full path of the image file (which may not exist).</returns>
    /// <exception cref="ArgumentNullException">The path is null.</exception>
    /// <exception cref="InvalidDataException">The path is empty, absolute, leaves the root or holds a control
    /// character; the message names the annotation file and line.</exception>
    public string Resolve(string relativePath, SampleOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        string normalised = relativePath.Replace('\\', '/');
        if (normalised.Length == 0)
        {
            throw new InvalidDataException($"{origin}: the image path is empty.");
        }

        // A NUL makes the file APIs throw ArgumentException, and other control characters are never part of a
        // data set's file names; both mean a mangled line.
        if (normalised.Any(char.IsControl))
        {
            throw new InvalidDataException(
                $"{origin}: the image path '{relativePath}' holds a control character, which no image name has.");
        }

        // A drive letter ("C:") or a leading separator makes Path.Combine drop the root on one OS or the other, so
        // both are refused everywhere, whatever the current OS.
        bool absolute = normalised[0] == '/' || (normalised.Length >= 2 && normalised[1] == ':')
            || Path.IsPathRooted(normalised);
        if (absolute)
        {
            throw new InvalidDataException(
                $"{origin}: the image path '{relativePath}' is absolute; it must be relative to the image root.");
        }

        string[] segments = normalised.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains(".."))
        {
            throw new InvalidDataException(
                $"{origin}: the image path '{relativePath}' contains '..'; it must stay under the image root.");
        }

        string full = Path.GetFullPath(Path.Combine(ImageRoot, Path.Combine(segments)));
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{origin}: the image path '{relativePath}' resolves to '{full}', outside the image root.");
        }

        return full;
    }
}
