using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Cli.Compare;
using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Training;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl compare: trains several architectures on one dataset with the same budget and seeds, and writes
/// results.md, results.json and the figures.</summary>
internal static class CompareCommand
{
    public const string DefaultVariants = "single,shared,split,cross-stitch,cross-stitch+mutual";

    public static Command Create(GlobalOptions global)
    {
        var dataset = new DatasetOptions();
        var training = new TrainingOptionsBinder();
        var test = new TestSetOptions();
        var preset = new Option<string?>("--preset")
        {
            Description = "The trunk of every variant: tcdcn, sun-f1 or compact64. Default: the dataset's recipe.",
        };
        var tasks = new Option<string?>("--tasks")
        {
            Description = "Tasks of the multi-task variants (single always trains landmarks alone). Default: all " +
                          "the dataset has.",
        };
        var groups = new NetworkOptions().TaskGroups;
        var variants = new Option<string>("--archs")
        {
            Description = $"Comma-separated variants, each {VariantSpec.Syntax}. The first 'single' is the " +
                          "baseline of Δm.",
            DefaultValueFactory = _ => DefaultVariants,
        };
        var seeds = new Option<string>("--seeds")
        {
            Description = "Comma-separated seeds; every variant trains once per seed.",
            DefaultValueFactory = _ => "1,2,3",
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder for results.md, results.json, the figures and runs/NAME-seedN/ (kept, so " +
                          "that rerunning the same command reuses finished runs and resumes an interrupted one).",
            DefaultValueFactory = _ => new DirectoryInfo("runs/compare"),
        };
        var command = new Command("compare", "Train several architectures on one dataset with the same budget and " +
                                             "seeds; write a table of their errors, accuracies and Δm, and figures.");
        dataset.AddTo(command);
        command.Options.Add(preset);
        command.Options.Add(tasks);
        command.Options.Add(groups);
        command.Options.Add(variants);
        command.Options.Add(seeds);
        training.AddTo(command, includeVariantOptions: false);
        test.AddTo(command);
        command.Options.Add(output);
        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, async (logger, token) =>
            {
                IReadOnlyList<VariantSpec> specs = VariantSpec.ParseList(result.GetValue(variants)!);
                IReadOnlyList<int> seedList = ParseSeeds(result.GetValue(seeds)!);
                DatasetRequest request = dataset.Read(result);
                Recipe recipe = Recipe.For(request.Kind);
                TrainerOptions template = training.Read(result, recipe);
                string trunk = (result.GetValue(preset) ?? recipe.Preset).ToLowerInvariant();

                // Every variant's configuration is checked before any data is read, not an hour into the study.
                foreach (VariantSpec spec in specs)
                {
                    NetworkOptions.Create(trunk, spec.Architecture, spec.SplitAt, result.GetValue(tasks),
                        spec.MutualRegularization, request.HasAttributes, request.Points, result.GetValue(groups),
                        spec.StitchLearningRate);
                }

                LoadedDataset data = DatasetLoading.Load(request, logger);
                CommandRunner.ReportProblems(data.Problems);
                EvaluationSource evaluation = test.Load(result, request, data, logger);
                if (evaluation.IsValidationSplit && template.ValidationFraction <= 0)
                {
                    throw new CliException(
                        "Without --test-annotations compare evaluates on the validation split; keep " +
                        "--validation-fraction above 0.");
                }

                var settings = new CompareSettings(data, evaluation, specs, seedList, template, trunk,
                    result.GetValue(tasks), result.GetValue(groups), result.GetValue(output)!.FullName);

                return await RunAsync(settings, logger, token);
            }));
        return command;
    }

    public static async Task<int> RunAsync(CompareSettings settings, ILogger logger, CancellationToken token)
    {
        (IReadOnlyList<RunRecord> records, bool interrupted) =
            await new CompareRunner(settings, logger).RunAsync(token);
        if (records.Count > 0)
        {
            CompareReport.Write(settings, records);
        }

        if (interrupted)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Interrupted after {records.Count} finished runs; the current one saved a checkpoint. Run the " +
                "same command again to continue."));
            return ExitCodes.Interrupted;
        }

        AnsiConsole.MarkupLine(Markup.Escape(
            $"Wrote results.md, results.json and the figures in {settings.Folder}"));
        return ExitCodes.Success;
    }

    public static IReadOnlyList<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed))
            {
                throw new CliException($"--seeds: '{item}' is not a whole number; write seeds as 1,2,3.");
            }

            if (seeds.Contains(seed))
            {
                throw new CliException($"--seeds lists {seed} twice.");
            }

            seeds.Add(seed);
        }

        return seeds.Count > 0 ? seeds : throw new CliException("--seeds is empty; write seeds as 1,2,3.");
    }

    /// <summary>The options of compare's optional test set.</summary>
    private sealed class TestSetOptions
    {
        public Option<string?> Dataset { get; } = new Option<string?>("--test-dataset")
        {
            Description = "The test list's format: mtfl, facepoint or kaggle. Default: --dataset's.",
        }.AcceptOnlyFromAmong("mtfl", "facepoint", "kaggle");

        public Option<FileInfo?> Annotations { get; } = new("--test-annotations")
        {
            Description = "A test list to evaluate every final model on (e.g. testImageList.txt with " +
                          "--test-dataset facepoint). Without it: held-out synthetic faces, or each seed's " +
                          "validation split.",
        };

        public Option<DirectoryInfo?> Images { get; } = new("--test-images")
        {
            Description = "The folder the test list's image paths are relative to. Default: the list's folder.",
        };

        public Option<FileInfo?> Boxes { get; } = new("--test-boxes")
        {
            Description = "A CNN_FacePoint list to take the test faces' boxes from (for an mtfl test list).",
        };

        public Option<int> Faces { get; } = new("--test-faces")
        {
            Description = "For --dataset synthetic: how many held-out synthetic faces to evaluate on.",
            DefaultValueFactory = _ => 1000,
        };

        public void AddTo(Command command)
        {
            foreach (Option option in new Option[] { Dataset, Annotations, Images, Boxes, Faces })
            {
                command.Options.Add(option);
            }
        }

        public EvaluationSource Load(ParseResult result, DatasetRequest training, LoadedDataset data, ILogger logger)
        {
            string? annotations = result.GetValue(Annotations)?.FullName;
            if (annotations is null)
            {
                if (result.GetValue(Boxes) is not null || result.GetValue(Images) is not null)
                {
                    throw new CliException("--test-boxes and --test-images need --test-annotations.");
                }

                if (data.Kind != DatasetKind.Synthetic)
                {
                    return new EvaluationSource("validation split", null,
                        data.BoxPolicy == BoxPolicy.Listed && data.HasListedBoxes);
                }

                int count = result.GetValue(Faces);
                var request = training with { Faces = count, Box = data.BoxPolicy };
                LoadedDataset heldOut = DatasetLoading.Load(request, logger, DatasetLoading.HeldOutSyntheticStart);
                return new EvaluationSource($"{count} held-out synthetic faces", heldOut.Samples, true);
            }

            DatasetKind kind = result.GetValue(Dataset) switch
            {
                "mtfl" => DatasetKind.Mtfl,
                "facepoint" => DatasetKind.FacePoint,
                "kaggle" => DatasetKind.Kaggle,
                _ => training.Kind == DatasetKind.Synthetic
                    ? throw new CliException("--test-annotations with --dataset synthetic needs --test-dataset.")
                    : training.Kind,
            };

            // The test faces are cropped by the training data's box policy, so that the models see the crops they
            // were trained on.
            var testRequest = new DatasetRequest(kind, annotations, result.GetValue(Images)?.FullName,
                result.GetValue(Boxes)?.FullName, data.BoxPolicy, training.Faces, training.Lenient);
            LoadedDataset test = DatasetLoading.Load(testRequest, logger);
            CommandRunner.ReportProblems(test.Problems);
            if (test.Schema.Count != data.Schema.Count)
            {
                throw new CliException($"The test list has {test.Schema.Count} points per face but the training " +
                                       $"data has {data.Schema.Count}.");
            }

            bool realBoxes = test.BoxPolicy == BoxPolicy.Listed && test.HasListedBoxes;
            return new EvaluationSource($"{Path.GetFileName(annotations)} ({test.Samples.Count} faces)", test.Samples,
                realBoxes);
        }
    }
}
