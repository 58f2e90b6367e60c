namespace MultiTask.Landmarks.Data.Synthetic;

/// <summary>
/// The drawn geometry of one synthetic face, in the face's own frame: units of the face's half-width, origin at the
/// face centre, x toward the image's LEFT and y down before the in-plane rotation. The mirrored x keeps the MTFL
/// convention: the face's "left" eye (x &gt; 0) is drawn on the image's left, and a turn toward pose 0 ("left
/// profile") swings the nose toward the image's left, as in MTFL's training list. Features sit on a rough head
/// sphere (each with a depth), so that turning the head (yaw) moves the nose more than the eyes, as in a real face.
/// </summary>
internal sealed class SyntheticFaceLayout
{
    // Depths on the head sphere, in half-widths: the nose tip stands out furthest, the eyes least.
    private const double EyeDepth = 0.7;
    private const double NoseDepth = 1.05;
    private const double MouthDepth = 0.85;

    /// <summary>Draws a face. Every draw happens whatever the attributes, so that forcing an attribute changes that
    /// attribute's effects and nothing else about the face.</summary>
    public SyntheticFaceLayout(Random random, int size, SyntheticFaceOptions options, FaceAttributes forced)
    {
        var drawn = new FaceAttributes(random.Next(2), random.Next(2), random.Next(2), random.Next(5));
        Attributes = new FaceAttributes(
            Pick(forced.Gender, drawn.Gender), Pick(forced.Smile, drawn.Smile), Pick(forced.Glasses, drawn.Glasses),
            Pick(forced.Pose, drawn.Pose));
        bool male = Attributes.Gender == 0, smiling = Attributes.Smile == 0;
        Glasses = Attributes.Glasses == 0;

        Radius = size * Uniform(random, options.MinFaceSize, options.MaxFaceSize) / 2;
        CenterX = size * (0.5 + Uniform(random, -0.08, 0.08));
        CenterY = size * (0.52 + Uniform(random, -0.06, 0.06));
        double angle = Uniform(random, -options.MaxRotationDegrees, options.MaxRotationDegrees) * Math.PI / 180;
        Cos = Math.Cos(angle);
        Sin = Math.Sin(angle);

        // Pose 0 ("left profile" in MTFL) turns the nose toward the image's left: in MTFL's training list the nose
        // lies 0.51 eye distances left of the eyes' midpoint for pose 0, 0.28 for pose 1 and right of it for 3 and 4.
        Yaw = ((2 - Attributes.Pose) * 0.38) + Uniform(random, -0.06, 0.06);
        double cosYaw = Math.Cos(Yaw), sinYaw = Math.Sin(Yaw);

        FaceHalfWidth = male ? 1.0 : 0.9;
        FaceHalfHeight = male ? 1.25 : 1.32;
        FaceExponent = male ? 2.7 : 2.0;
        FaceShift = 0.12 * sinYaw;
        double eyeSpread = Uniform(random, 0.34, 0.42), eyeY = Uniform(random, -0.32, -0.2);
        double noseY = eyeY + Uniform(random, 0.38, 0.46);
        double mouthY = noseY + Uniform(random, 0.28, 0.36);
        double wide = Uniform(random, 0.34, 0.42), narrow = Uniform(random, 0.2, 0.27);
        double bend = Uniform(random, 0.1, 0.15);
        double mouthHalf = smiling ? wide : narrow;

        // A smile lifts the corners and bends the lips down in the middle; a neutral mouth is a straight line.
        CornerY = smiling ? mouthY - 0.07 : mouthY;
        MouthBend = smiling ? bend : 0;
        LeftEye = Project(eyeSpread, eyeY, EyeDepth, cosYaw, sinYaw);
        RightEye = Project(-eyeSpread, eyeY, EyeDepth, cosYaw, sinYaw);
        Nose = Project(0, noseY, NoseDepth, cosYaw, sinYaw);
        MouthLeft = Project(mouthHalf, CornerY, MouthDepth, cosYaw, sinYaw);
        MouthRight = Project(-mouthHalf, CornerY, MouthDepth, cosYaw, sinYaw);
        EyeRadiusX = 0.12 * (0.6 + (0.4 * cosYaw));
        EyeRadiusY = 0.065;

        double tone = random.NextDouble();
        Skin = Mix((246, 214, 186), (112, 74, 52), tone);
        Lips = Mix(Skin, (150, 40, 50), 0.55);
        Hair = Mix((30, 22, 18), (180, 140, 80), random.NextDouble() * random.NextDouble());
        BackgroundTop = ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        BackgroundBottom = ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        Frame = Mix((20, 20, 20), (120, 60, 20), random.NextDouble());
    }

    public FaceAttributes Attributes { get; }

    public bool Glasses { get; }

    public double Radius { get; }

    public double CenterX { get; }

    public double CenterY { get; }

    public double Cos { get; }

    public double Sin { get; }

    public double Yaw { get; }

    public double FaceHalfWidth { get; }

    public double FaceHalfHeight { get; }

    public double FaceExponent { get; }

    public double FaceShift { get; }

    public double CornerY { get; }

    public double MouthBend { get; }

    public (double X, double Y) LeftEye { get; }

    public (double X, double Y) RightEye { get; }

    public (double X, double Y) Nose { get; }

    public (double X, double Y) MouthLeft { get; }

    public (double X, double Y) MouthRight { get; }

    public double EyeRadiusX { get; }

    public double EyeRadiusY { get; }

    public (byte R, byte G, byte B) Skin { get; }

    public (byte R, byte G, byte B) Lips { get; }

    public (byte R, byte G, byte B) Hair { get; }

    public (byte R, byte G, byte B) BackgroundTop { get; }

    public (byte R, byte G, byte B) BackgroundBottom { get; }

    public (byte R, byte G, byte B) Frame { get; }

    /// <summary>Gets the five points in image pixels, in MTFL order (point 0 on the image's left when upright).
    /// </summary>
    public Landmark[] Landmarks() => new[]
    {
        ToImage(LeftEye), ToImage(RightEye), ToImage(Nose), ToImage(MouthLeft), ToImage(MouthRight),
    };

    /// <summary>Gets the face box a detector would give: the face oval's extent, axis-aligned.</summary>
    public FaceBox Box()
    {
        double halfWidth = 1.05 * Radius, top = 1.0 * Radius, bottom = 1.3 * Radius;
        return new FaceBox(
            (float)(CenterX - halfWidth), (float)(CenterY - top), (float)(2 * halfWidth), (float)(top + bottom));
    }

    /// <summary>Maps an image point to the face's frame.</summary>
    public (double X, double Y) ToFace(double x, double y)
    {
        double dx = (x - CenterX) / Radius, dy = (y - CenterY) / Radius;
        return (-((Cos * dx) + (Sin * dy)), (-Sin * dx) + (Cos * dy));
    }

    // Mirror x (the face frame's x points to the image's left), then rotate in the image plane.
    private Landmark ToImage((double X, double Y) p) => new(
        (float)(CenterX + (Radius * ((Cos * -p.X) - (Sin * p.Y)))),
        (float)(CenterY + (Radius * ((Sin * -p.X) + (Cos * p.Y)))));

    private static (double X, double Y) Project(double x, double y, double depth, double cosYaw, double sinYaw) =>
        ((x * cosYaw) + (depth * sinYaw), y);

    private static int Pick(int forced, int drawn) => forced == FaceAttributes.Unknown ? drawn : forced;

    private static double Uniform(Random random, double min, double max) => min + ((max - min) * random.NextDouble());

    private static (byte R, byte G, byte B) Mix((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double t) =>
        ((byte)(a.R + ((b.R - a.R) * t)), (byte)(a.G + ((b.G - a.G) * t)), (byte)(a.B + ((b.B - a.B) * t)));
}
