using System.Globalization;
using System.Text;

namespace MultiTask.Landmarks.Tests.Data;

/// <summary>
/// Writes files in the exact layout of the Kaggle Facial Keypoints Detection competition, independently of the
/// library: the header below is the competition's, spelled out rather than derived from the library's schema.
/// </summary>
internal static class KaggleCsvText
{
    public const int Side = 96;

    public const string TrainingHeader =
        "left_eye_center_x,left_eye_center_y,right_eye_center_x,right_eye_center_y,"
        + "left_eye_inner_corner_x,left_eye_inner_corner_y,left_eye_outer_corner_x,left_eye_outer_corner_y,"
        + "right_eye_inner_corner_x,right_eye_inner_corner_y,right_eye_outer_corner_x,right_eye_outer_corner_y,"
        + "left_eyebrow_inner_end_x,left_eyebrow_inner_end_y,left_eyebrow_outer_end_x,left_eyebrow_outer_end_y,"
        + "right_eyebrow_inner_end_x,right_eyebrow_inner_end_y,right_eyebrow_outer_end_x,right_eyebrow_outer_end_y,"
        + "nose_tip_x,nose_tip_y,mouth_left_corner_x,mouth_left_corner_y,mouth_right_corner_x,mouth_right_corner_y,"
        + "mouth_center_top_lip_x,mouth_center_top_lip_y,mouth_center_bottom_lip_x,mouth_center_bottom_lip_y,Image";

    public const string TestHeader = "ImageId,Image";

    public const string LookupHeader = "RowId,ImageId,FeatureName,Location";

    public static IReadOnlyList<string> KeypointNames { get; } = TrainingHeader.Split(',')[..30];

    /// <summary>A training row: 30 coordinates (null for an empty cell), then the pixels.</summary>
    public static string TrainingRow(IReadOnlyList<double?> coordinates, byte[] pixels)
    {
        var row = new StringBuilder();
        foreach (double? value in coordinates)
        {
            // The competition writes coordinates with ten decimals.
            row.Append(value?.ToString("0.0000000000", CultureInfo.InvariantCulture)).Append(',');
        }

        return row.Append(PixelText(pixels)).ToString();
    }

    public static string PixelText(byte[] pixels) => string.Join(' ', pixels);

    /// <summary>A 96x96 grey pattern that differs at every pixel of a row and between seeds.</summary>
    public static byte[] Pattern(int seed)
    {
        var pixels = new byte[Side * Side];
        for (int i = 0; i < pixels.Length; i++)
        {
            int x = i % Side, y = i / Side;
            pixels[i] = (byte)(((x * 3) + (y * 7) + (seed * 31)) % 256);
        }

        return pixels;
    }
}
