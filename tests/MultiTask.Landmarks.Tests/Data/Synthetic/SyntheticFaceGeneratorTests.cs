using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Tests.Data.Synthetic;

public sealed class SyntheticFaceGeneratorTests
{
    private const int Unknown = FaceAttributes.Unknown;
    private static readonly SyntheticFaceGenerator Generator = new(new SyntheticFaceOptions { ImageSize = 96 });

    [Fact]
    public void GenerateFace_SameIndex_IsIdenticalAndMatchesTheParallelBatch()
    {
        FaceSample a = Generator.GenerateFace(17);
        FaceSample b = Generator.GenerateFace(17);
        FaceSample c = Generator.Generate(count: 3, start: 16)[1];

        Assert.Equal(Pixels(a), Pixels(b));
        Assert.Equal(Pixels(a), Pixels(c));
        Assert.Equal(a.Landmarks, c.Landmarks);
        Assert.Equal(a.Box, c.Box);
        Assert.Equal(a.Attributes, c.Attributes);
        Assert.NotEqual(Pixels(a), Pixels(Generator.GenerateFace(18)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(21)]
    public void Smile_SameFace_WidensAndLiftsTheMouthCornersAndRedrawsTheMouth(int index)
    {
        FaceSample neutral = Generator.GenerateFace(index, new FaceAttributes(Unknown, 1, Unknown, 2));
        FaceSample smiling = Generator.GenerateFace(index, new FaceAttributes(Unknown, 0, Unknown, 2));

        double eyes = Distance(neutral.Landmarks[0], neutral.Landmarks[1]);
        double widthNeutral = Distance(neutral.Landmarks[3], neutral.Landmarks[4]) / eyes;
        double widthSmiling = Distance(smiling.Landmarks[3], smiling.Landmarks[4]) / eyes;
        double lift = MouthToNose(neutral) - MouthToNose(smiling);

        Assert.Equal(1, smiling.Attributes.Smile + 1);
        Assert.True(widthSmiling > 1.25 * widthNeutral, $"Mouth width {widthNeutral:F3} -> {widthSmiling:F3} eyes.");
        Assert.True(lift > 0.05 * eyes, $"Corners lifted by {lift:F2} px.");
        Assert.Equal(neutral.Landmarks[0], smiling.Landmarks[0]);
        Assert.Equal(neutral.Landmarks[2], smiling.Landmarks[2]);
        Landmark mouth = Mid(smiling.Landmarks[3], smiling.Landmarks[4]);
        double mouthChange = MeanDifference(neutral, smiling, mouth, radius: (int)eyes / 2);
        // Only the lips change there (the noise is the same draw), so even a thin lip line moves the mean clearly.
        Assert.True(mouthChange > 2, $"Mouth region changed by {mouthChange:F2} levels.");
        Assert.Equal(0, MeanDifference(neutral, smiling, smiling.Landmarks[0], radius: 2));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(13)]
    public void Glasses_SameFace_DrawRimsAroundTheEyesOnly(int index)
    {
        FaceSample without = Generator.GenerateFace(index, new FaceAttributes(Unknown, Unknown, 1, 2));
        FaceSample with = Generator.GenerateFace(index, new FaceAttributes(Unknown, Unknown, 0, 2));

        double eyes = Distance(with.Landmarks[0], with.Landmarks[1]);
        Landmark mouth = Mid(with.Landmarks[3], with.Landmarks[4]);

        Assert.Equal(without.Landmarks, with.Landmarks);
        // The rims are ellipses about 0.28 by 0.21 eye distances around each eye centre.
        double left = RingDifference(without, with, with.Landmarks[0], 0.15 * eyes, 0.4 * eyes);
        double right = RingDifference(without, with, with.Landmarks[1], 0.15 * eyes, 0.4 * eyes);
        Assert.True(left > 8 && right > 8, $"Rings changed by {left:F2} and {right:F2} levels.");
        Assert.Equal(0, MeanDifference(without, with, mouth, radius: 3));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(30)]
    public void Pose_SameFace_TurnsTheNoseTowardTheMtflSide(int index)
    {
        double[] offsets = Enumerable.Range(0, 5)
            .Select(pose => NoseOffset(
                Generator.GenerateFace(index, new FaceAttributes(Unknown, Unknown, Unknown, pose))))
            .ToArray();
        FaceSample frontal = Generator.GenerateFace(index, new FaceAttributes(Unknown, Unknown, Unknown, 2));
        FaceSample profile = Generator.GenerateFace(index, new FaceAttributes(Unknown, Unknown, Unknown, 0));

        // MTFL's training list: the nose lies 0.51 eye distances left of the eyes' midpoint for pose 0 ("left
        // profile"), 0.28 for pose 1, about 0 frontal, and right of it for poses 3 and 4.
        for (int pose = 1; pose < 5; pose++)
        {
            Assert.True(offsets[pose] > offsets[pose - 1] + 0.1, $"Offsets by pose: {string.Join(", ", offsets)}");
        }

        Assert.InRange(offsets[2], -0.15, 0.15);
        Assert.True(offsets[0] < -0.3 && offsets[4] > 0.3, $"Offsets by pose: {string.Join(", ", offsets)}");
        Assert.True(profile.Landmarks[0].X < profile.Landmarks[1].X);
        Assert.NotEqual(frontal.Landmarks[0], profile.Landmarks[0]);
        Assert.True(MeanDifference(frontal, profile, frontal.Landmarks[2], radius: 10) > 5);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(40)]
    public void Gender_SameFace_ChangesHairAndFaceShapeButNotThePoints(int index)
    {
        FaceSample male = Generator.GenerateFace(index, new FaceAttributes(0, Unknown, Unknown, 2));
        FaceSample female = Generator.GenerateFace(index, new FaceAttributes(1, Unknown, Unknown, 2));

        FaceBox box = male.Box!.Value;
        var cheek = new Landmark(box.X + (0.02f * box.Width), box.Y + (0.75f * box.Height));

        Assert.Equal(male.Landmarks, female.Landmarks);
        Assert.True(MeanDifference(male, female, cheek, radius: 5) > 10);
        Assert.True(MeanDifference(male, female, new Landmark(box.CenterX, box.CenterY), radius: 48) > 3);
    }

    [Fact]
    public void Attributes_OverManyFaces_CarryInformationAboutTheLandmarks()
    {
        IReadOnlyList<FaceSample> faces = new SyntheticFaceGenerator().Generate(600);

        double pose = Correlation(faces.Select(f => (double)f.Attributes.Pose), faces.Select(NoseOffset));
        double smile = Correlation(faces.Select(f => (double)f.Attributes.Smile),
            faces.Select(f => Distance(f.Landmarks[3], f.Landmarks[4]) / Distance(f.Landmarks[0], f.Landmarks[1])));

        // Smile class 0 is "smiling", so a wider mouth goes with the smaller label.
        Assert.True(pose > 0.9, $"Pose label vs nose offset: r = {pose:F3}.");
        Assert.True(smile < -0.7, $"Smile label vs mouth width: r = {smile:F3}.");
        for (int column = 0; column < 4; column++)
        {
            int classes = FaceAttributes.ClassCounts[column];
            int[] counts = new int[classes];
            foreach (FaceSample face in faces)
            {
                counts[face.Attributes.Get(FaceAttributes.AttributeNames[column])]++;
            }

            Assert.All(counts, n => Assert.InRange(n, 600 / classes * 0.7, 600 / classes * 1.3));
        }
    }

    [Fact]
    public void GenerateFace_ClassOutOfRange_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Generator.GenerateFace(0, new FaceAttributes(-1, -1, -1, 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Generator.GenerateFace(-1));
    }

    // The nose's sideways offset from the eyes' midpoint, in eye distances, along the eye line (so that roll does
    // not count).
    private static double NoseOffset(FaceSample face)
    {
        Landmark left = face.Landmarks[0], right = face.Landmarks[1], nose = face.Landmarks[2];
        double ex = right.X - left.X, ey = right.Y - left.Y, length = Math.Sqrt((ex * ex) + (ey * ey));
        Landmark mid = Mid(left, right);
        return (((nose.X - mid.X) * ex) + ((nose.Y - mid.Y) * ey)) / (length * length);
    }

    private static double MouthToNose(FaceSample face) =>
        ((face.Landmarks[3].Y + face.Landmarks[4].Y) / 2) - face.Landmarks[2].Y;

    private static Landmark Mid(Landmark a, Landmark b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);

    private static double Distance(Landmark a, Landmark b) =>
        Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

    private static byte[] Pixels(FaceSample face)
    {
        using Image<Rgb24> image = face.Image.Load();
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    // The mean absolute difference of all channels over a square window.
    private static double MeanDifference(FaceSample a, FaceSample b, Landmark centre, int radius) =>
        WindowDifference(a, b, centre, (dx, dy) => Math.Abs(dx) <= radius && Math.Abs(dy) <= radius);

    private static double RingDifference(FaceSample a, FaceSample b, Landmark centre, double inner, double outer) =>
        WindowDifference(a, b, centre, (dx, dy) =>
        {
            double r = Math.Sqrt((dx * dx) + (dy * dy));
            return r >= inner && r <= outer;
        });

    private static double WindowDifference(FaceSample a, FaceSample b, Landmark centre, Func<int, int, bool> inside)
    {
        byte[] pa = Pixels(a), pb = Pixels(b);
        int size = Generator.Options.ImageSize, cx = (int)Math.Round(centre.X), cy = (int)Math.Round(centre.Y);
        double sum = 0;
        int count = 0;
        for (int y = Math.Max(0, cy - size); y < Math.Min(size, cy + size); y++)
        {
            for (int x = Math.Max(0, cx - size); x < Math.Min(size, cx + size); x++)
            {
                if (!inside(x - cx, y - cy))
                {
                    continue;
                }

                for (int c = 0; c < 3; c++)
                {
                    int p = (((y * size) + x) * 3) + c;
                    sum += Math.Abs(pa[p] - pb[p]);
                    count++;
                }
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    private static double Correlation(IEnumerable<double> first, IEnumerable<double> second)
    {
        double[] a = first.ToArray(), b = second.ToArray();
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }
}
