namespace MultiTask.Landmarks.Data.Readers;

/// <summary>One row of the Kaggle Facial Keypoints <c>IdLookupTable.csv</c>: which coordinate of which test image a
/// submission row must give.</summary>
/// <param name="RowId">The submission's <c>RowId</c>.</param>
/// <param name="ImageId">The test image's <c>ImageId</c>.</param>
/// <param name="FeatureName">The keypoint column, such as <c>left_eye_center_x</c>.</param>
public sealed record KaggleLookupRow(int RowId, int ImageId, string FeatureName);
