namespace MultiTask.Landmarks.Data.Readers;

/// <summary>One face of the Kaggle Facial Keypoints <c>test.csv</c>: its id, and a sample whose 15 points are all
/// missing (the competition asks for them).</summary>
/// <param name="ImageId">The <c>ImageId</c> column, as the lookup table refers to it.</param>
/// <param name="Sample">The 96x96 grey face with <see cref="LandmarkSchema.Kaggle15"/>'s points all missing.</param>
public sealed record KaggleTestImage(int ImageId, FaceSample Sample);
