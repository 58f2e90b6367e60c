namespace MultiTask.Landmarks.Data.Synthetic;

/// <summary>
/// Paints a <see cref="SyntheticFaceLayout"/> into RGB24 pixels: every pixel is mapped into the face's frame and the
/// layers (background, hair, face, brows, eyes, nose, mouth, glasses) are composited with a one-pixel soft edge
/// taken from each shape's approximate signed distance, then Gaussian noise is added.
/// </summary>
internal static class SyntheticFaceRenderer
{
    private static readonly (byte R, byte G, byte B) Sclera = (236, 232, 228);
    private static readonly (byte R, byte G, byte B) Iris = (40, 28, 24);

    public static byte[] Render(SyntheticFaceLayout face, int size, SyntheticFaceOptions options, Random random)
    {
        byte[] rgb = new byte[size * size * 3];
        bool male = face.Attributes.Gender == 0;
        double smile = face.MouthBend;
        double mouthCenterX = (face.MouthLeft.X + face.MouthRight.X) / 2;
        double mouthHalf = Math.Max(1e-3, (face.MouthLeft.X - face.MouthRight.X) / 2);
        double rimX = 0.21 * (0.6 + (0.4 * Math.Cos(face.Yaw)));
        (byte R, byte G, byte B) nostril = Scale(face.Skin, 0.55), bridge = Scale(face.Skin, 0.82);
        for (int py = 0; py < size; py++)
        {
            for (int px = 0; px < size; px++)
            {
                double t = (double)py / (size - 1);
                double r = Lerp(face.BackgroundTop.R, face.BackgroundBottom.R, t);
                double g = Lerp(face.BackgroundTop.G, face.BackgroundBottom.G, t);
                double b = Lerp(face.BackgroundTop.B, face.BackgroundBottom.B, t);
                (double x, double y) = face.ToFace(px, py);
                double pixel = 1 / face.Radius;

                // Long hair behind the face for the female class, a short cap for the male class.
                if (!male)
                {
                    double back = Ellipse(x - face.FaceShift, y - 0.15, 1.2, 1.5);
                    Paint(ref r, ref g, ref b, face.Hair, Coverage(back, pixel));
                }

                double oval = SuperEllipse(x - face.FaceShift, y - 0.05, face.FaceHalfWidth, face.FaceHalfHeight,
                    face.FaceExponent);
                Paint(ref r, ref g, ref b, face.Skin, Coverage(oval, pixel));
                double hairline = male ? -0.78 : -0.68;
                double cap = Math.Max(
                    Ellipse(x - face.FaceShift, y + 0.3, face.FaceHalfWidth * 1.07, face.FaceHalfHeight * 0.85),
                    y - hairline);
                Paint(ref r, ref g, ref b, face.Hair, Coverage(cap, pixel));

                for (int eye = 0; eye < 2; eye++)
                {
                    (double ex, double ey) = eye == 0 ? face.LeftEye : face.RightEye;
                    double brow = Segment(x, y, ex - 0.14, ey - 0.15, ex + 0.14, ey - 0.17) - (male ? 0.04 : 0.025);
                    Paint(ref r, ref g, ref b, face.Hair, Coverage(brow, pixel));
                    Paint(ref r, ref g, ref b, Sclera, Coverage(Ellipse(x - ex, y - ey, face.EyeRadiusX,
                        face.EyeRadiusY), pixel));
                    Paint(ref r, ref g, ref b, Iris, Coverage(Ellipse(x - ex, y - ey, 0.055, 0.055), pixel));
                    if (face.Glasses)
                    {
                        double rim = Math.Abs(Ellipse(x - ex, y - ey, rimX, 0.16)) - 0.025;
                        Paint(ref r, ref g, ref b, face.Frame, Coverage(rim, pixel));
                    }
                }

                if (face.Glasses)
                {
                    double span = Segment(x, y, face.RightEye.X + rimX, face.RightEye.Y - 0.03,
                        face.LeftEye.X - rimX, face.LeftEye.Y - 0.03) - 0.02;
                    Paint(ref r, ref g, ref b, face.Frame, Coverage(span, pixel));
                }

                double eyesX = (face.LeftEye.X + face.RightEye.X) / 2;
                double ridge = Segment(x, y, eyesX, face.LeftEye.Y + 0.08, face.Nose.X, face.Nose.Y - 0.04) - 0.025;
                Paint(ref r, ref g, ref b, bridge, Coverage(ridge, pixel));
                Paint(ref r, ref g, ref b, nostril, Coverage(Ellipse(x - face.Nose.X, y - face.Nose.Y, 0.1, 0.045),
                    pixel));

                double mouth = MouthDistance(x, y, mouthCenterX, mouthHalf, face.CornerY, smile)
                    - (smile > 0 ? 0.045 : 0.03);
                Paint(ref r, ref g, ref b, face.Lips, Coverage(mouth, pixel));

                int index = ((py * size) + px) * 3;
                if (options.Grayscale)
                {
                    double grey = (0.299 * r) + (0.587 * g) + (0.114 * b) + (options.NoiseLevel * Gaussian(random));
                    rgb[index] = rgb[index + 1] = rgb[index + 2] = ToByte(grey);
                }
                else
                {
                    rgb[index] = ToByte(r + (options.NoiseLevel * Gaussian(random)));
                    rgb[index + 1] = ToByte(g + (options.NoiseLevel * Gaussian(random)));
                    rgb[index + 2] = ToByte(b + (options.NoiseLevel * Gaussian(random)));
                }
            }
        }

        return rgb;
    }

    // Distance to the mouth line: a parabola through both corners that dips by the bend in the middle.
    private static double MouthDistance(double x, double y, double centerX, double half, double cornerY, double bend)
    {
        double u = (x - centerX) / half;
        if (Math.Abs(u) <= 1)
        {
            return Math.Abs(y - (cornerY + (bend * (1 - (u * u)))));
        }

        double endX = centerX + (Math.Sign(u) * half);
        return Math.Sqrt(((x - endX) * (x - endX)) + ((y - cornerY) * (y - cornerY)));
    }

    // Approximate signed distances (negative inside), in the face's units.
    private static double Ellipse(double x, double y, double a, double b) =>
        (Math.Sqrt(((x / a) * (x / a)) + ((y / b) * (y / b))) - 1) * Math.Min(a, b);

    private static double SuperEllipse(double x, double y, double a, double b, double exponent) =>
        (Math.Pow(Math.Pow(Math.Abs(x / a), exponent) + Math.Pow(Math.Abs(y / b), exponent), 1 / exponent) - 1)
        * Math.Min(a, b);

    private static double Segment(double x, double y, double x0, double y0, double x1, double y1)
    {
        double dx = x1 - x0, dy = y1 - y0;
        double t = Math.Clamp((((x - x0) * dx) + ((y - y0) * dy)) / ((dx * dx) + (dy * dy) + 1e-12), 0, 1);
        double ex = x - (x0 + (t * dx)), ey = y - (y0 + (t * dy));
        return Math.Sqrt((ex * ex) + (ey * ey));
    }

    // A one-pixel ramp across the edge: full inside, none outside.
    private static double Coverage(double distance, double pixel) => Math.Clamp(0.5 - (distance / pixel), 0, 1);

    private static void Paint(ref double r, ref double g, ref double b, (byte R, byte G, byte B) color, double alpha)
    {
        if (alpha <= 0)
        {
            return;
        }

        r += (color.R - r) * alpha;
        g += (color.G - g) * alpha;
        b += (color.B - b) * alpha;
    }

    private static double Gaussian(Random random)
    {
        double u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);

    private static (byte R, byte G, byte B) Scale((byte R, byte G, byte B) c, double f) =>
        ((byte)(c.R * f), (byte)(c.G * f), (byte)(c.B * f));

    private static byte ToByte(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
