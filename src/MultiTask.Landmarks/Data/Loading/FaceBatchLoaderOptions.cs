using MultiTask.Landmarks.Data.Augmentation;
using MultiTask.Landmarks.Data.Preprocessing;

namespace MultiTask.Landmarks.Data.Loading;

/// <summary>Options of a <see cref="FaceBatchLoader"/>.</summary>
public sealed class FaceBatchLoaderOptions
{
    /// <summary>Gets or sets the crop options; use the same ones at inference.</summary>
    /// <value>The default is <see cref="CropOptions.Default"/> (40x40 grey).</value>
    public CropOptions Crop { get; init; } = CropOptions.Default;

    /// <summary>Gets or sets the augmentation of training batches; <see langword="null"/> for none.</summary>
    /// <value>The default is <see cref="AugmentationOptions.Default"/>.</value>
    public AugmentationOptions? Augmentation { get; init; } = AugmentationOptions.Default;

    /// <summary>Gets or sets the number of faces in a batch.</summary>
    /// <value>The default is 64.</value>
    public int BatchSize { get; init; } = 64;

    /// <summary>Gets or sets a value indicating whether training batches leave out the last, smaller batch.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DropLast { get; init; }

    /// <summary>Gets or sets the seed of the shuffle and the augmentations; an epoch's batches depend only on it, the
    /// epoch number and the samples, never on timing or thread count.</summary>
    /// <value>The default is 0.</value>
    public int Seed { get; init; }

    /// <summary>Gets or sets how many threads decode and crop the images when the loader is created.</summary>
    /// <value>The default is <see cref="Environment.ProcessorCount"/>.</value>
    public int DegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets how many threads render the faces of one batch (augmentation and resampling). Batches are built
    /// between training steps, while libtorch's own threads wait for work: on a machine where those threads take
    /// every core, more rendering threads only contend with them (on 2 cores, a TCDCN step took 48.5 ms with 2
    /// rendering threads and 37.7 ms with the training thread alone; see docs/benchmarks.md). Raise it when
    /// libtorch runs on fewer threads than there are cores, or on a GPU. The batches do not depend on it.
    /// </summary>
    /// <value>The default is 1: the faces are rendered on the calling thread.</value>
    public int BatchParallelism { get; init; } = 1;

    /// <summary>Gets or sets a value indicating whether a sample that cannot be used (missing or corrupt image, no box,
    /// wrong number of points) stops loading with an exception; otherwise it is skipped and listed in
    /// <see cref="FaceBatchLoader.Skipped"/>.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Strict { get; init; } = true;

    /// <summary>Gets or sets the decoding limits.</summary>
    /// <value>The default is <see cref="ImageLoadOptions.Default"/>.</value>
    public ImageLoadOptions ImageLoad { get; init; } = ImageLoadOptions.Default;

    /// <summary>Checks that the options are usable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentNullException">The crop or image-load options are null.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Crop, nameof(Crop));
        ArgumentNullException.ThrowIfNull(ImageLoad, nameof(ImageLoad));
        Crop.Validate();
        Augmentation?.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DegreeOfParallelism, nameof(DegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchParallelism, nameof(BatchParallelism));
    }
}
