using System.Runtime.InteropServices;
using MultiTask.Landmarks.Build;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Runtime;

public sealed class ElfVersionNeedsTests
{
    private const string NewLibStdCxx = "GLIBCXX_3.4.32";

    private static string OutputWrapper =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [SkippableFact]
    public void BuildStep_MarksTheNewLibStdCxxRequirementWeakInTheOutputFolder()
    {
        Skip.IfNot(File.Exists(OutputWrapper), "The linux-x64 libtorch backend is not in this output folder.");

        List<ElfVersionNeed> needs = ElfVersionNeeds.Read(OutputWrapper);

        ElfVersionNeed need = Assert.Single(needs, n => n.Version == NewLibStdCxx);
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.True(need.IsWeak);
        Assert.All(needs.Where(n => n.Version != NewLibStdCxx), n => Assert.False(n.IsWeak));
    }

    [SkippableFact]
    public void MarkWeak_ChangesOnlyTheFlagAndIsIdempotent()
    {
        Skip.IfNot(File.Exists(OutputWrapper), "The linux-x64 libtorch backend is not in this output folder.");
        string copy = Path.Combine(TestPaths.NewTemporaryFolder(), "libLibTorchSharp.so");
        File.Copy(OutputWrapper, copy);
        ElfVersionNeed need = ElfVersionNeeds.Read(copy).Single(n => n.Version == NewLibStdCxx);
        byte[] unpatched = File.ReadAllBytes(copy);
        unpatched[need.FlagsOffset] &= unchecked((byte)~ElfVersionNeeds.WeakFlag);
        File.WriteAllBytes(copy, unpatched);

        List<string> first = ElfVersionNeeds.MarkWeak(copy, new[] { NewLibStdCxx });
        byte[] patched = File.ReadAllBytes(copy);
        List<string> second = ElfVersionNeeds.MarkWeak(copy, new[] { NewLibStdCxx });

        Assert.Equal(new[] { NewLibStdCxx }, first);
        Assert.Empty(second);
        int[] differences = Enumerable.Range(0, patched.Length).Where(i => patched[i] != unpatched[i]).ToArray();
        Assert.Equal(new[] { (int)need.FlagsOffset }, differences);
        Assert.Equal(patched, File.ReadAllBytes(copy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(80)]
    public void Read_NonElfOrTruncatedFile_ThrowsNamingTheFile(int length)
    {
        string file = Path.Combine(TestPaths.NewTemporaryFolder(), "broken.so");
        byte[] bytes = new byte[length];
        if (length >= 64)
        {
            // A plausible ELF64 header whose section table lies far beyond the end of the file.
            bytes[0] = 0x7f; bytes[1] = (byte)'E'; bytes[2] = (byte)'L'; bytes[3] = (byte)'F';
            bytes[4] = 2; bytes[5] = 1;
            bytes[0x28] = 0xff; bytes[0x29] = 0xff; bytes[0x3a] = 64; bytes[0x3c] = 3;
        }

        File.WriteAllBytes(file, bytes);

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(file));
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Read_SystemLibraryWithoutRequirementsOfThatKind_ListsItsNeeds()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "Linux only.");
        string? libstdcxx = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        Skip.If(libstdcxx is null, "No libstdc++ at the usual paths.");

        List<ElfVersionNeed> needs = ElfVersionNeeds.Read(libstdcxx!);

        Assert.Contains(
            needs,
            n => n.Library.StartsWith("libc.so", StringComparison.Ordinal)
                && n.Version.StartsWith("GLIBC_", StringComparison.Ordinal));
    }
}
