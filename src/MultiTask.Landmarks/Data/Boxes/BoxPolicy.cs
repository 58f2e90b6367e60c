namespace MultiTask.Landmarks.Data.Boxes;

/// <summary>Where the face box to crop comes from. Training and inference pick the box through
/// <see cref="FaceBoxes.Select(FaceSample, BoxPolicy, int, int)"/>, so a model sees one crop convention in both.
/// </summary>
public enum BoxPolicy
{
    /// <summary>The box listed with the sample (a face detector's, as in CNN_FacePoint); a sample without one is an
    /// error.</summary>
    Listed,

    /// <summary>A box derived from the five points by <see cref="LandmarkBoxRule"/>, calibrated to match the
    /// CNN_FacePoint detector's boxes on average (for MTFL, which lists none).</summary>
    FromLandmarks,

    /// <summary>The whole image (Kaggle's 96x96 faces are already cropped).</summary>
    WholeImage,
}
