using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Data;

/// <summary>
/// A batch of preprocessed faces as tensors on one device. The batch owns its tensors: dispose it (or let the
/// enclosing dispose scope do so) when the step that used it is done.
/// </summary>
public sealed class FaceBatch : IDisposable
{
    /// <summary>
    /// Initializes a new instance of the <see cref="FaceBatch"/> class, taking ownership of the tensors.
    /// </summary>
    /// <param name="images">Images, float32 [N, C, H, W], normalised.</param>
    /// <param name="landmarks">Landmarks, float32 [N, K, 2], x and y in the crop's normalised frame (0..1 across the
    /// crop).</param>
    /// <param name="landmarkMask">Float32 [N, K]: 1 where the point is annotated, 0 where it is missing.</param>
    /// <param name="attributes">Int64 [N, A]: class labels in the order of <see cref="FaceAttributes.AttributeNames"/>,
    /// -1 where unknown.</param>
    public FaceBatch(Tensor images, Tensor landmarks, Tensor landmarkMask, Tensor attributes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(landmarkMask);
        ArgumentNullException.ThrowIfNull(attributes);
        Images = images;
        Landmarks = landmarks;
        LandmarkMask = landmarkMask;
        Attributes = attributes;
    }

    /// <summary>Gets the images, float32 [N, C, H, W].</summary>
    public Tensor Images { get; }

    /// <summary>Gets the landmarks, float32 [N, K, 2], in the crop's normalised frame.</summary>
    public Tensor Landmarks { get; }

    /// <summary>Gets the mask of annotated points, float32 [N, K].</summary>
    public Tensor LandmarkMask { get; }

    /// <summary>Gets the attribute labels, int64 [N, A], -1 where unknown.</summary>
    public Tensor Attributes { get; }

    /// <summary>Gets the number of faces.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Gets the labels of the named attribute, int64 [N].</summary>
    /// <param name="name">The attribute's name, as in <see cref="FaceAttributes.AttributeNames"/>.</param>
    /// <returns>A view of the attribute's column (owned by the caller's dispose scope).</returns>
    public Tensor AttributeLabels(string name)
    {
        int column = IndexOf(name);
        return Attributes.select(1, column);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Landmarks.Dispose();
        LandmarkMask.Dispose();
        Attributes.Dispose();
    }

    private static int IndexOf(string name)
    {
        for (int i = 0; i < FaceAttributes.AttributeNames.Count; i++)
        {
            if (FaceAttributes.AttributeNames[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"Unknown attribute '{name}'; expected one of " +
            $"{string.Join(", ", FaceAttributes.AttributeNames)}.", nameof(name));
    }
}
