using MultiTask.Landmarks.Data.Augmentation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Data.Synthetic;

/// <summary>
/// The built-in data set: drawn faces with the five MTFL points (<see cref="LandmarkSchema.Mtfl5"/> order and
/// convention: point 0 on the image's left, pose 0 with the nose turned toward the image's left), a face box and all
/// four attributes, where each attribute changes the picture and the points. A smile widens the mouth, lifts its
/// corners and curves the lips; glasses draw rims around the eyes; the head pose turns the face, moving the points
/// sideways (the nose most, since it stands out furthest); gender changes the face's shape, the brows and the hair.
/// Position, size, rotation, skin tone, hair colour, background and noise vary at random, so the task is not trivial.
/// Face <c>i</c> depends only on the seed and <c>i</c>.
/// </summary>
public sealed class SyntheticFaceGenerator
{
    /// <summary>Initializes a new instance of the <see cref="SyntheticFaceGenerator"/> class.</summary>
    /// <param name="options">The options; <see langword="null"/> for <see cref="SyntheticFaceOptions.Default"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SyntheticFaceGenerator(SyntheticFaceOptions? options = null)
    {
        Options = options ?? SyntheticFaceOptions.Default;
        Options.Validate();
    }

    /// <summary>Gets the options.</summary>
    public SyntheticFaceOptions Options { get; }

    /// <summary>Gets the landmark schema of the faces.</summary>
    public static LandmarkSchema Schema => LandmarkSchema.Mtfl5;

    /// <summary>Generates one face.</summary>
    /// <param name="index">The face's index; non-negative.</param>
    /// <returns>The sample, with an in-memory image, its box, five points and four attributes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public FaceSample GenerateFace(int index) => GenerateFace(index, FaceAttributes.None);

    /// <summary>Generates face <paramref name="index"/> with some attributes forced: the same person, place, colours
    /// and noise as <see cref="GenerateFace(int)"/>, so that only the forced attributes' effects differ.</summary>
    /// <param name="index">The face's index; non-negative.</param>
    /// <param name="attributes">The attributes to force, in the classes of <see cref="FaceAttributes"/>;
    /// <see cref="FaceAttributes.Unknown"/> keeps the drawn one.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or a forced class is out of range.
    /// </exception>
    public FaceSample GenerateFace(int index, FaceAttributes attributes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        CheckClass(attributes.Gender, 0, nameof(attributes));
        CheckClass(attributes.Smile, 1, nameof(attributes));
        CheckClass(attributes.Glasses, 2, nameof(attributes));
        CheckClass(attributes.Pose, 3, nameof(attributes));
        int size = Options.ImageSize;
        var random = new Random(SeedMixer.Mix(Options.Seed, index, 0x5EED));
        var layout = new SyntheticFaceLayout(random, size, Options, attributes);
        byte[] rgb = SyntheticFaceRenderer.Render(layout, size, Options, random);

        string name = $"synthetic:{Options.Seed}:{index}";
        using Image<Rgb24> image = Image.LoadPixelData<Rgb24>(rgb, size, size);
        return new FaceSample(
            new MemoryImageSource(image, name), layout.Landmarks(), layout.Box(), layout.Attributes,
            new SampleOrigin(name, 0));
    }

    /// <summary>Generates faces <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1,
    /// in parallel; the result does not depend on the thread count.</summary>
    /// <param name="count">The number of faces.</param>
    /// <param name="start">The index of the first face.</param>
    /// <returns>The samples, in index order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative.</exception>
    public IReadOnlyList<FaceSample> Generate(int count, int start = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var samples = new FaceSample[count];
        Parallel.For(0, count, i => samples[i] = GenerateFace(start + i));
        return samples;
    }

    private static void CheckClass(int label, int column, string name)
    {
        if (label != FaceAttributes.Unknown && (label < 0 || label >= FaceAttributes.ClassCounts[column]))
        {
            throw new ArgumentOutOfRangeException(name, label,
                $"The {FaceAttributes.AttributeNames[column]} class must lie in "
                + $"0..{FaceAttributes.ClassCounts[column] - 1} or be Unknown (-1).");
        }
    }
}
