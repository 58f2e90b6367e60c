using System.CommandLine;
using System.Globalization;
using MultiTask.Landmarks.Cli.Datasets;
using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Evaluation;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Runtime;
using Spectre.Console;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl evaluate: measures a model on annotated faces and writes the metrics as JSON and a CED plot.</summary>
internal static class EvaluateCommand
{
    public static Command Create(GlobalOptions global)
    {
        var dataset = new DatasetOptions();
        var model = new Option<FileInfo>("--model")
        {
            Description = "The model file, or a folder holding model.mtl.",
            Required = true,
        };
        var json = new Option<FileInfo>("--json")
        {
            Description = "Where to write the metrics (JSON); the CED plot goes beside it.",
            Required = true,
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu, cuda or cuda:N.",
            DefaultValueFactory = _ => "auto",
        };
        var cedMaximum = new Option<double>("--ced-max")
        {
            Description = "Where the cumulative error distribution and its AUC end, in % of the inter-ocular " +
                          "distance (the literature's 10 by default; wider to see a weak model's curve).",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("evaluate", "Evaluate a model on annotated faces: landmark errors, failure " +
                                              "rates, CED and AUC, attribute accuracy.");
        dataset.AddTo(command);
        command.Options.Add(model);
        command.Options.Add(json);
        command.Options.Add(device);
        command.Options.Add(cedMaximum);
        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, (logger, token) =>
            {
                string modelPath = ModelPath(result.GetValue(model)!.FullName);
                DatasetRequest request = dataset.Read(result);
                using LandmarkPredictor predictor = LandmarkPredictor.Load(
                    modelPath, ParseDevice(result.GetValue(device)!), logger);

                // Without --box, faces are cropped the way the model was trained, where the data allows it.
                bool listedUsable = request.Kind is DatasetKind.Synthetic or DatasetKind.FacePoint
                                    || (request.Kind == DatasetKind.Mtfl && request.Boxes is not null);
                BoxPolicy trained = predictor.Model.BoxPolicy;
                if (request.Box is null && (trained != BoxPolicy.Listed || listedUsable))
                {
                    request = request with { Box = trained };
                }

                LoadedDataset data = DatasetLoading.Load(request, logger, DatasetLoading.HeldOutSyntheticStart);
                CommandRunner.ReportProblems(data.Problems);
                LandmarkSchema schema = predictor.Model.Schema;
                if (schema.Count != data.Schema.Count)
                {
                    throw new CliException($"The model predicts {schema.Count} points ({schema.Name}) but the " +
                                           $"data has {data.Schema.Count} ({data.Schema.Name}).");
                }

                double maximum = result.GetValue(cedMaximum);
                if (!(maximum > 0 && maximum <= 100))
                {
                    throw new CliException($"--ced-max must lie in (0, 100] percent, not {maximum}.");
                }

                LandmarkEvaluationOptions defaults = LandmarkEvaluationOptions.ForSchema(schema);
                var metrics = new LandmarkEvaluationOptions
                {
                    LeftEyePoints = defaults.LeftEyePoints,
                    RightEyePoints = defaults.RightEyePoints,
                    CedMaximumInterOcular = maximum / 100,
                };
                bool realBoxes = data.BoxPolicy == BoxPolicy.Listed && data.HasListedBoxes;
                EvaluationResult evaluation = AnsiConsole.Progress().Start(context =>
                {
                    ProgressTask task = context.AddTask("evaluating", maxValue: data.Samples.Count);
                    return ModelEvaluator.Evaluate(predictor, data.Samples, metrics,
                        progress: new Progress<int>(n => task.Value = n), normaliseByBox: realBoxes,
                        cancellationToken: token);
                });

                string jsonPath = result.GetValue(json)!.FullName;
                Json.Write(jsonPath, EvaluationReport.From(evaluation, data.Schema));
                string plotPath = Path.ChangeExtension(jsonPath, ".ced.png");
                Plots.CumulativeError(evaluation.CedInterOcular, "inter-ocular distance", plotPath);
                Print(evaluation, data.Schema, maximum);
                AnsiConsole.MarkupLine(Markup.Escape($"Wrote {jsonPath} and {plotPath}"));
                return Task.FromResult(ExitCodes.Success);
            }));
        return command;
    }

    public static string ModelPath(string path)
    {
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "model.mtl");
        }

        return File.Exists(path)
            ? path
            : throw new CliException($"The model file '{path}' does not exist; train one with mtl train.");
    }

    public static DeviceRequest ParseDevice(string text)
    {
        try
        {
            return DeviceRequest.Parse(text);
        }
        catch (FormatException exception)
        {
            throw new CliException($"--device: {exception.Message}");
        }
    }

    private static void Print(EvaluationResult evaluation, LandmarkSchema schema, double cedMaximum)
    {
        var table = new Table().AddColumns("metric", "value");
        table.AddRow("faces", evaluation.Faces.ToString(CultureInfo.InvariantCulture));
        table.AddRow("mean error / inter-ocular", TrainingDisplay.Percent(evaluation.NmeInterOcular));
        table.AddRow("mean error / box width", TrainingDisplay.Percent(evaluation.NmeBoxWidth));
        table.AddRow("failure rate (> 10 % inter-ocular)", TrainingDisplay.Percent(evaluation.FailureRateInterOcular));
        table.AddRow("failure rate (> 5 % box width)", TrainingDisplay.Percent(evaluation.FailureRateBoxWidth));
        table.AddRow(string.Create(CultureInfo.InvariantCulture, $"AUC of the CED (to {cedMaximum} % inter-ocular)"),
            evaluation.Auc?.ToString("F4", CultureInfo.InvariantCulture) ?? "n/a");
        for (int p = 0; p < evaluation.PerPoint.Count && p < schema.Count; p++)
        {
            table.AddRow($"  {schema.PointNames[p]}: error / inter-ocular, / box width",
                $"{TrainingDisplay.Percent(evaluation.PerPoint[p].NmeInterOcular)}, " +
                TrainingDisplay.Percent(evaluation.PerPoint[p].NmeBoxWidth));
        }

        foreach ((string name, AttributeMetrics metrics) in evaluation.Attributes)
        {
            table.AddRow($"{name} accuracy", TrainingDisplay.Percent(metrics.Accuracy));
        }

        AnsiConsole.Write(table);
    }
}
