namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>Where the repository and the research data (never copied into the repository) are.</summary>
public static class TestPaths
{
    /// <summary>The environment variable that points at a copy of the MTFL data elsewhere.</summary>
    public const string MtflVariable = "MTL_MTFL_DATA";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The MTFL folder (../shared/data/mtfl beside the repository, or $MTL_MTFL_DATA), or null.</summary>
    public static string? MtflRoot
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(MtflVariable);
            string candidate = string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "mtfl"))
                : configured;
            return File.Exists(Path.Combine(candidate, "training.txt")) ? candidate : null;
        }
    }

    /// <summary>Skips the calling test, with the reason, when the MTFL data is absent.</summary>
    public static string RequireMtfl()
    {
        string? root = MtflRoot;
        Skip.If(
            root is null, $"MTFL data not found at ../shared/data/mtfl beside the repository or at ${MtflVariable}.");
        return root!;
    }

    public static string NewTemporaryFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "mtl-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory);
            directory is not null;
            directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MultiTask.Landmarks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No MultiTask.Landmarks.sln above {AppContext.BaseDirectory}.");
    }
}
