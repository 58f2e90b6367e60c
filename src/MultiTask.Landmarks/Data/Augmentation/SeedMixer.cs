namespace MultiTask.Landmarks.Data.Augmentation;

/// <summary>Derives independent 32-bit seeds from a few integers (SplitMix64's finaliser), stable across processes
/// and platforms, unlike <see cref="HashCode"/>.</summary>
internal static class SeedMixer
{
    public static int Mix(int seed, int a, int b)
    {
        ulong z = ((ulong)(uint)seed << 32) ^ (uint)a;
        z = Finalise(z + 0x9E3779B97F4A7C15UL);
        z = Finalise(z ^ (uint)b);
        return (int)(z >> 33);
    }

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
