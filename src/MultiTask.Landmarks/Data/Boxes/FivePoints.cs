namespace MultiTask.Landmarks.Data.Boxes;

/// <summary>
/// The five points the box rule uses (the two eye centres, the nose tip, the two mouth corners), taken from a 5-, 15-
/// or 68-point annotation. The rule is symmetric under swapping left and right, so it does not matter that the CUHK
/// lists name the eyes from the viewer's side and Kaggle and iBUG from the subject's.
/// </summary>
internal readonly record struct FivePoints(
    Landmark LeftEye, Landmark RightEye, Landmark Nose, Landmark MouthLeft, Landmark MouthRight)
{
    public static FivePoints From(IReadOnlyList<Landmark> landmarks, SampleOrigin origin)
    {
        FivePoints five = landmarks.Count switch
        {
            5 => new(landmarks[0], landmarks[1], landmarks[2], landmarks[3], landmarks[4]),

            // Kaggle15: eye centres 0 and 1, nose tip 10, mouth corners 11 and 12.
            15 => new(landmarks[0], landmarks[1], landmarks[10], landmarks[11], landmarks[12]),

            // iBUG 68 (1-based): eyes 37-42 and 43-48 averaged, nose tip 31, mouth corners 49 and 55.
            68 => new(Mean(landmarks, 36, 6), Mean(landmarks, 42, 6), landmarks[30], landmarks[48], landmarks[54]),
            _ => throw new InvalidDataException($"{origin}: a box can be derived from 5, 15 or 68 landmarks, not "
                + $"{landmarks.Count}."),
        };

        if (five.LeftEye.IsMissing || five.RightEye.IsMissing || five.Nose.IsMissing || five.MouthLeft.IsMissing
            || five.MouthRight.IsMissing)
        {
            throw new InvalidDataException(
                $"{origin}: an eye, the nose or a mouth corner is missing, so no box can be derived from the "
                + "landmarks.");
        }

        return five;
    }

    public float MeanX => (LeftEye.X + RightEye.X + Nose.X + MouthLeft.X + MouthRight.X) / 5;

    public float MeanY => (LeftEye.Y + RightEye.Y + Nose.Y + MouthLeft.Y + MouthRight.Y) / 5;

    /// <summary>The root mean square distance of the points from their centroid: the face's scale, unchanged by
    /// in-plane rotation and less spread against detector boxes than the eye distance (it shrinks less with yaw).
    /// </summary>
    public float Spread
    {
        get
        {
            float cx = MeanX;
            float cy = MeanY;
            float sum = Square(LeftEye, cx, cy) + Square(RightEye, cx, cy) + Square(Nose, cx, cy)
                + Square(MouthLeft, cx, cy) + Square(MouthRight, cx, cy);
            return MathF.Sqrt(sum / 5);
        }
    }

    /// <summary>How far the nose lies beside the middle of the other four points, in units of
    /// <see cref="Spread"/>: a yaw cue, since a turned head's nose swings towards the turn.</summary>
    public float NoseShift
    {
        get
        {
            float others = (LeftEye.X + RightEye.X + MouthLeft.X + MouthRight.X) / 4;
            return (Nose.X - others) / Spread;
        }
    }

    private static float Square(Landmark point, float cx, float cy) =>
        ((point.X - cx) * (point.X - cx)) + ((point.Y - cy) * (point.Y - cy));

    private static Landmark Mean(IReadOnlyList<Landmark> landmarks, int start, int count)
    {
        float x = 0;
        float y = 0;
        for (int i = start; i < start + count; i++)
        {
            if (landmarks[i].IsMissing)
            {
                return Landmark.Missing;
            }

            x += landmarks[i].X;
            y += landmarks[i].Y;
        }

        return new Landmark(x / count, y / count);
    }
}
