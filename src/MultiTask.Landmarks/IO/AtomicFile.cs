namespace MultiTask.Landmarks.IO;

/// <summary>
/// Writes a file so that readers only ever see the old or the new content: the bytes go to a temporary file in the
/// same folder, are flushed to the disk, and the temporary file is renamed over the destination (a single atomic
/// step on POSIX file systems and NTFS). A crash at any point leaves the previous file intact.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> atomically.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <exception cref="IOException">The folder cannot be written; the destination is unchanged.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var stream = new FileStream(
                temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temporary file is named so that nothing mistakes it for a finished one; leaving it is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
