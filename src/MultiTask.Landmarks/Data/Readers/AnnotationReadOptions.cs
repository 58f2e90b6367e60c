namespace MultiTask.Landmarks.Data.Readers;

/// <summary>How the annotation readers treat bad lines and how much they check against the image files.</summary>
public sealed class AnnotationReadOptions
{
    /// <summary>Gets the defaults: strict, no image checks, images beside the annotation file.</summary>
    public static AnnotationReadOptions Default { get; } = new();

    /// <summary>Gets or sets a value indicating whether a bad line is skipped and reported in
    /// <see cref="ReadResult{TRecord}.Problems"/> instead of raising <see cref="InvalidDataException"/>.</summary>
    /// <value>The default is <see langword="false"/> (strict).</value>
    public bool Lenient { get; init; }

    /// <summary>Gets or sets the folder that the image paths in an annotation file are relative to.</summary>
    /// <value>The default is <see langword="null"/>: the folder of the annotation file (for a stream, the folder of
    /// its name, relative to the current directory).</value>
    public string? ImageRoot { get; init; }

    /// <summary>Gets or sets a value indicating whether every line's image file must exist.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool CheckImagesExist { get; init; }

    /// <summary>Gets or sets a value indicating whether every point must lie inside its image
    /// (0 &lt;= x &lt; width, 0 &lt;= y &lt; height). For image files this reads each file's header (not its pixels),
    /// so it also checks that the images exist.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool CheckPointsInsideImage { get; init; }

    /// <summary>Gets or sets a value indicating whether several lines may name the same image file (lists that
    /// annotate several faces per image). When <see langword="false"/>, a repeated image is a bad line: strict reads
    /// throw <see cref="InvalidDataException"/> naming both lines, lenient reads keep the first and report the
    /// others.</summary>
    /// <value>The default is <see langword="false"/>: MTFL and CNN_FacePoint list each image once.</value>
    public bool AllowDuplicateImages { get; init; }

    /// <summary>Gets or sets the limits used when reading image headers for the checks above.</summary>
    /// <value>The default is <see cref="ImageLoadOptions.Default"/>.</value>
    public ImageLoadOptions ImageLoadOptions { get; init; } = ImageLoadOptions.Default;
}
