using System.CommandLine;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tasks;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>The options that describe a network, shared by train, compare and profile.</summary>
internal sealed class NetworkOptions
{
    public Option<string?> Preset { get; } = new Option<string?>("--preset")
    {
        Description = "The trunk: tcdcn (40x40 grey, Zhang et al. 2014), sun-f1 (39x39 grey, Sun et al. 2013) or " +
                      "compact64 (64x64 grey, batch norm and ReLU). Default: the dataset's recipe.",
    };

    public Option<string?> Architecture { get; } = new Option<string?>("--arch")
    {
        Description = "How tasks share the network: single (landmarks alone), shared (one trunk, many heads), split " +
                      "(shared up to --split-at, then one column per task) or cross-stitch (one column per task, " +
                      "mixed by learned cross-stitch units).",
    }.AcceptOnlyFromAmong("single", "shared", "split", "cross-stitch");

    public Option<int?> SplitAt { get; } = new("--split-at")
    {
        Description = "For --arch split: the number of trunk stages shared before the columns part (0 = independent " +
                      "networks, the stage count = hard sharing).",
    };

    public Option<string?> Tasks { get; } = new("--tasks")
    {
        Description = "Comma-separated tasks: landmarks,gender,smile,glasses,pose. Default: all the dataset has.",
    };

    public Option<double> MutualRegularization { get; } = new("--mutual-reg")
    {
        Description = "Lambda of the mutual weight regularization between task columns (split and cross-stitch), " +
                      "normalised by parameter count. 0 turns it off.",
        DefaultValueFactory = _ => 0,
    };

    public Option<string?> TaskGroups { get; } = new("--task-groups")
    {
        Description = "For split and cross-stitch: the columns, as task groups separated by ';', each a " +
                      "comma-separated list, e.g. 'landmarks;gender,smile,glasses,pose'. Default: one column per " +
                      "task. Ignored by single and shared.",
    };

    public Option<double?> StitchLearningRate { get; } = new("--stitch-lr")
    {
        Description = "For cross-stitch: the multiplier of the stitch weights' learning rate (Misra et al. used " +
                      "10^2 to 10^3 under SGD). Default: 10, the library's choice for Adam.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Preset);
        command.Options.Add(Architecture);
        command.Options.Add(SplitAt);
        command.Options.Add(Tasks);
        command.Options.Add(MutualRegularization);
        command.Options.Add(TaskGroups);
        command.Options.Add(StitchLearningRate);
    }

    public NetworkConfig Read(ParseResult result, Recipe recipe, bool datasetHasAttributes, int points) =>
        Create(
            result.GetValue(Preset) ?? recipe.Preset,
            result.GetValue(Architecture) ?? recipe.Architecture,
            result.GetValue(SplitAt),
            result.GetValue(Tasks),
            result.GetValue(MutualRegularization),
            datasetHasAttributes,
            points,
            result.GetValue(TaskGroups),
            result.GetValue(StitchLearningRate));

    /// <summary>Builds a network configuration from the options' text, with a one-line error for each bad value.
    /// </summary>
    public static NetworkConfig Create(
        string preset, string architecture, int? splitAt, string? tasksText, double lambda, bool datasetHasAttributes,
        int points, string? groupsText = null, double? stitchLearningRate = null)
    {
        preset = preset.ToLowerInvariant();
        if (!TrunkPresets.Names.Contains(preset, StringComparer.OrdinalIgnoreCase))
        {
            throw new CliException(
                $"Unknown preset '{preset}'; choose one of {string.Join(", ", TrunkPresets.Names)}.");
        }

        IReadOnlyList<TaskSpec> tasks = ReadTasks(tasksText, datasetHasAttributes, points, architecture);
        if (lambda < 0 || !double.IsFinite(lambda))
        {
            throw new CliException($"--mutual-reg must be a finite number of at least 0, not {lambda}.");
        }

        ArchitectureKind kind = architecture switch
        {
            "single" => ArchitectureKind.SingleTask,
            "split" => ArchitectureKind.Split,
            "cross-stitch" => ArchitectureKind.CrossStitch,
            "shared" => ArchitectureKind.Shared,
            _ => throw new CliException(
                $"Unknown architecture '{architecture}'; choose single, shared, split or cross-stitch."),
        };
        if (stitchLearningRate is double m && !(double.IsFinite(m) && m > 0))
        {
            throw new CliException($"--stitch-lr must be a finite number above 0, not {m}.");
        }

        int stages = TrunkPresets.Get(preset).Stages.Count;
        if (splitAt is int k && (k < 0 || k > stages))
        {
            throw new CliException($"--split-at must lie between 0 and {stages} for the {preset} trunk, not {k}.");
        }

        if (splitAt is not null && kind != ArchitectureKind.Split)
        {
            throw new CliException("--split-at only applies to --arch split.");
        }

        if (tasks.Count < 2 && kind is ArchitectureKind.Split or ArchitectureKind.CrossStitch)
        {
            throw new CliException($"--arch {architecture} needs at least two tasks; add attributes to --tasks.");
        }

        return new NetworkConfig
        {
            Preset = preset,
            Architecture = kind,
            SplitStage = splitAt ?? (kind == ArchitectureKind.Split ? stages - 1 : 0),
            Tasks = tasks,
            TaskGroups = ReadGroups(groupsText, tasks, kind),
            MutualRegularization = lambda,
            CrossStitchLearningRateMultiplier =
                stitchLearningRate ?? NetworkConfig.RecommendedAdamStitchMultiplier,
        };
    }

    /// <summary>Reads --task-groups: every task in exactly one group, at least two groups.</summary>
    private static IReadOnlyList<IReadOnlyList<string>>? ReadGroups(
        string? text, IReadOnlyList<TaskSpec> tasks, ArchitectureKind kind)
    {
        if (text is null || kind is not (ArchitectureKind.Split or ArchitectureKind.CrossStitch))
        {
            return null;
        }

        string[][] groups = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        string[] named = groups.SelectMany(g => g).ToArray();
        string? unknown = named.FirstOrDefault(n => !tasks.Any(t => t.Name == n));
        if (unknown is not null)
        {
            throw new CliException($"--task-groups names '{unknown}', which is not among the tasks " +
                                   $"({string.Join(", ", tasks.Select(t => t.Name))}).");
        }

        string? twice = named.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        string? missing = tasks.Select(t => t.Name).FirstOrDefault(n => !named.Contains(n));
        string? problem = twice is not null ? $"'{twice}' is in two groups"
            : missing is not null ? $"'{missing}' is in none"
            : groups.Length < 2 ? "there is one group"
            : null;
        if (problem is not null)
        {
            throw new CliException("--task-groups must put every task in exactly one of at least two groups, as in " +
                                   $"'landmarks;gender,smile,glasses,pose'; {problem}.");
        }

        return groups;
    }

    private static IReadOnlyList<TaskSpec> ReadTasks(string? text, bool hasAttributes, int points, string architecture)
    {
        var known = TaskSpec.Mtfl.Skip(1).ToDictionary(t => t.Name, StringComparer.Ordinal);
        if (architecture == "single" || (text is null && !hasAttributes))
        {
            if (text is not null && text.Trim() != "landmarks")
            {
                throw new CliException(
                    "--arch single trains landmarks alone; drop --tasks or use another architecture.");
            }

            return new[] { TaskSpec.Landmarks(points) };
        }

        if (text is null)
        {
            return new[] { TaskSpec.Landmarks(points) }.Concat(known.Values).ToArray();
        }

        var tasks = new List<TaskSpec>();
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name == "landmarks")
            {
                tasks.Add(TaskSpec.Landmarks(points));
            }
            else if (known.TryGetValue(name, out TaskSpec? task))
            {
                if (!hasAttributes)
                {
                    throw new CliException($"This dataset has no '{name}' labels; use --tasks landmarks.");
                }

                tasks.Add(task);
            }
            else
            {
                throw new CliException(
                    $"Unknown task '{name}' in --tasks; choose from landmarks, gender, smile, glasses, pose.");
            }
        }

        if (!tasks.Any(t => t.Kind == TaskKind.Landmarks))
        {
            throw new CliException("--tasks must include landmarks.");
        }

        return tasks.DistinctBy(t => t.Name).ToArray();
    }
}
