using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using MultiTask.Landmarks.Tests.Infrastructure;

namespace MultiTask.Landmarks.Tests.Packaging;

/// <summary>
/// Packs the library, then builds and runs an application that knows nothing of this repository and references the
/// package plus a CPU backend. On Debian 12 this proves that the buildTransitive step makes libtorch load for
/// consumers.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    [SkippableFact]
    public void PackedLibrary_InAFreshConsoleApp_BuildsAndRunsAForwardPass()
    {
        string? backend = HostCpuBackend();
        Skip.If(backend is null, "No libtorch CPU backend package exists for this operating system and architecture.");
        string work = TestPaths.NewTemporaryFolder();
        try
        {
            PackBuildAndRun(backend!, work);
        }
        finally
        {
            // Each consumer output folder holds its own copy of libtorch (about 500 MB).
            Directory.Delete(work, recursive: true);
        }
    }

    private static void PackBuildAndRun(string backend, string work)
    {
        string feed = Path.Combine(work, "feed");
        string version = "0.0.0-consumer."
            + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

        (int packExit, string packOutput) = ProcessRunner.Run(ProcessRunner.DotnetHost,
            $"pack \"{Path.Combine(TestPaths.RepositoryRoot, "src", "MultiTask.Landmarks")}\" " +
            $"-c Release -o \"{feed}\" -p:Version={version}",
            TestPaths.RepositoryRoot, Timeout);
        Assert.True(packExit == 0, packOutput);
        string package = Path.Combine(feed, $"MultiTask.Landmarks.{version}.nupkg");
        AssertPackageContents(package, version);

        string app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        File.Copy(
            Path.Combine(
                TestPaths.RepositoryRoot,
                "tests",
                "MultiTask.Landmarks.Tests",
                "Packaging",
                "Consumer",
                "Program.cs.txt"),
            Path.Combine(app, "Program.cs"));
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MultiTask.Landmarks" Version="{version}" />
                <PackageReference Include="{backend}" Version="2.10.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        (int buildExit, string buildOutput) =
            ProcessRunner.Run(ProcessRunner.DotnetHost, "build -c Release", app, Timeout);
        Assert.True(buildExit == 0, buildOutput);
        (int runExit, string runOutput) =
            ProcessRunner.Run(ProcessRunner.DotnetHost, "run -c Release --no-build", app, Timeout);

        Assert.True(runExit == 0, runOutput);
        Assert.Contains("consumer forward pass ok: 12", runOutput, StringComparison.Ordinal);

        string published = Path.Combine(work, "published");
        (int publishExit, string publishOutput) = ProcessRunner.Run(ProcessRunner.DotnetHost,
            $"publish -c Release --no-build -o \"{published}\"", app, Timeout);
        Assert.True(publishExit == 0, publishOutput);
        (int publishedExit, string publishedOutput) = ProcessRunner.Run(ProcessRunner.DotnetHost,
            $"\"{Path.Combine(published, "Consumer.dll")}\"", app, Timeout);
        Assert.True(publishedExit == 0, publishedOutput);
        Assert.Contains("consumer forward pass ok: 12", publishedOutput, StringComparison.Ordinal);

        // Where the system's libstdc++ is too old, the same app built without the step must fail with the library's
        // diagnosis rather than TorchSharp's misleading text: proof that the step, not luck, made it load.
        if (SystemLibStdCxxLacks("GLIBCXX_3.4.32"))
        {
            (int offBuildExit, string offBuildOutput) = ProcessRunner.Run(ProcessRunner.DotnetHost,
                "build -c Debug -p:MultiTaskLandmarksPatchLibTorchSharp=false", app, Timeout);
            Assert.True(offBuildExit == 0, offBuildOutput);
            (int offRunExit, string offRunOutput) =
                ProcessRunner.Run(ProcessRunner.DotnetHost, "run -c Debug --no-build", app, Timeout);

            Assert.NotEqual(0, offRunExit);
            Assert.Contains("TorchBackendException", offRunOutput, StringComparison.Ordinal);
            Assert.Contains("GLIBCXX_3.4.32", offRunOutput, StringComparison.Ordinal);
        }
    }

    private static bool SystemLibStdCxxLacks(string version)
    {
        string? library = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        if (library is null)
        {
            return false;
        }

        byte[] bytes = File.ReadAllBytes(library);
        byte[] needle = System.Text.Encoding.ASCII.GetBytes("\0" + version + "\0");
        return bytes.AsSpan().IndexOf(needle) < 0;
    }

    private static void AssertPackageContents(string package, string version)
    {
        Assert.True(File.Exists(package), $"{package} was not produced.");
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), "The symbols package was not produced.");
        using ZipArchive archive = ZipFile.OpenRead(package);
        string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("lib/net8.0/MultiTask.Landmarks.dll", entries);
        Assert.Contains("lib/net8.0/MultiTask.Landmarks.xml", entries);
        Assert.Contains("buildTransitive/MultiTask.Landmarks.targets", entries);
        Assert.Contains("buildTransitive/MultiTaskLandmarksElfPatch.cs", entries);
        Assert.Contains("README.md", entries);

        using Stream nuspecStream = archive.Entries
            .Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal))
            .Open();
        XDocument nuspec = XDocument.Load(nuspecStream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        XElement metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("MultiTask.Landmarks", metadata.Element(ns + "id")!.Value);
        Assert.Equal(version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        var dependencies = metadata.Descendants(ns + "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        Assert.Equal("[2.1.13]", dependencies["SixLabors.ImageSharp"]);
        Assert.Equal("0.107.0", dependencies["TorchSharp"]);
        Assert.True(dependencies.ContainsKey("Microsoft.Extensions.Logging.Abstractions"));
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("TorchSharp-c", StringComparison.OrdinalIgnoreCase));
    }

    private static string? HostCpuBackend()
    {
        Architecture architecture = RuntimeInformation.ProcessArchitecture;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && architecture == Architecture.X64)
        {
            return "libtorch-cpu-linux-x64";
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && architecture == Architecture.X64)
        {
            return "libtorch-cpu-win-x64";
        }

        return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) && architecture == Architecture.Arm64
            ? "libtorch-cpu-osx-arm64"
            : null;
    }
}
