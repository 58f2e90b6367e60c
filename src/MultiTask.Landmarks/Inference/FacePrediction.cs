using MultiTask.Landmarks.Data;

namespace MultiTask.Landmarks.Inference;

/// <summary>What a <see cref="LandmarkPredictor"/> found on one face.</summary>
public sealed class FacePrediction
{
    internal FacePrediction(
        IReadOnlyList<Landmark> landmarks, FaceBox box, IReadOnlyDictionary<string, float[]> attributes)
    {
        Landmarks = landmarks;
        Box = box;
        Attributes = attributes;
    }

    /// <summary>Gets the landmarks in the original image's pixels, in the model's schema order.</summary>
    public IReadOnlyList<Landmark> Landmarks { get; }

    /// <summary>Gets the face box that was cropped.</summary>
    public FaceBox Box { get; }

    /// <summary>Gets each attribute task's class probabilities, keyed by task name.</summary>
    public IReadOnlyDictionary<string, float[]> Attributes { get; }

    /// <summary>Gets the most probable class of an attribute.</summary>
    /// <param name="name">The attribute task's name.</param>
    /// <returns>The class index.</returns>
    /// <exception cref="KeyNotFoundException">The model has no such attribute task.</exception>
    public int MostLikely(string name)
    {
        float[] probabilities = Attributes[name];
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        return best;
    }
}
