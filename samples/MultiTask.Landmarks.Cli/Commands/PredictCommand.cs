using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl predict: finds the landmarks and attributes of the face in one image.</summary>
internal static class PredictCommand
{
    public static Command Create(GlobalOptions global)
    {
        var model = new Option<FileInfo>("--model")
        {
            Description = "The model file, or a folder holding model.mtl.",
            Required = true,
        };
        var image = new Option<FileInfo>("--image")
        {
            Description = "The image (JPEG, PNG, BMP, GIF, ...); mtl synth draws one.",
            Required = true,
        };
        var box = new Option<string?>("--box")
        {
            Description = "The face box in pixels as X,Y,W,H, or a JSON file with a box (such as mtl synth " +
                          "writes beside its image). Default: the whole image.",
        };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "Write a copy of the image with the points and the box drawn on it (PNG).",
        };
        var json = new Option<FileInfo?>("--json")
        {
            Description = "Also write the JSON to this file.",
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu, cuda or cuda:N.",
            DefaultValueFactory = _ => "auto",
        };
        var command = new Command(
            "predict", "Predict the landmarks and attributes of the face in an image; prints JSON.");
        foreach (Option option in new Option[] { model, image, box, output, json, device })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, (logger, _) =>
            {
                string modelPath = EvaluateCommand.ModelPath(result.GetValue(model)!.FullName);
                string imagePath = result.GetValue(image)!.FullName;
                if (!File.Exists(imagePath))
                {
                    throw new CliException($"The image '{imagePath}' does not exist.");
                }

                FaceBox? faceBox = ParseBox(result.GetValue(box));
                using LandmarkPredictor predictor = LandmarkPredictor.Load(
                    modelPath, EvaluateCommand.ParseDevice(result.GetValue(device)!), logger);
                FacePrediction prediction = predictor.Predict(imagePath, faceBox);
                object report = Report(imagePath, prediction, predictor.Model.Schema);
                Console.WriteLine(Json.Serialize(report));
                if (result.GetValue(json) is FileInfo file)
                {
                    Json.Write(file.FullName, report);
                }

                if (result.GetValue(output) is FileInfo overlay)
                {
                    Overlay.Draw(imagePath, prediction, overlay.FullName);
                    Console.Error.WriteLine($"Wrote {overlay.FullName}");
                }

                return Task.FromResult(ExitCodes.Success);
            }));
        return command;
    }

    private static object Report(string imagePath, FacePrediction prediction, LandmarkSchema schema) => new
    {
        image = imagePath,
        box = new
        {
            x = prediction.Box.X, y = prediction.Box.Y, width = prediction.Box.Width, height = prediction.Box.Height,
        },
        landmarks = prediction.Landmarks.Select((p, i) => new { name = schema.PointNames[i], x = p.X, y = p.Y })
            .ToArray(),
        attributes = prediction.Attributes.ToDictionary(
            pair => pair.Key,
            pair => new { predicted = prediction.MostLikely(pair.Key), probabilities = pair.Value }),
    };

    /// <summary>Reads --box: X,Y,W,H in pixels, or a JSON file with a "box" object such as mtl synth writes.
    /// </summary>
    public static FaceBox? ParseBox(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ReadBoxFile(text);
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[4];
        bool parsed = parts.Length == 4 && parts.Select((p, i) =>
            float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok);
        if (!parsed || values.Any(v => !float.IsFinite(v)) || values[2] <= 0 || values[3] <= 0)
        {
            throw new CliException("--box must be X,Y,W,H with a positive width and height, such as 40,50,120,120, " +
                                   $"or a JSON file with a box (as mtl synth writes); got '{text}'.");
        }

        return new FaceBox(values[0], values[1], values[2], values[3]);
    }

    private static FaceBox ReadBoxFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"The box file '{path}' does not exist.");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement box = document.RootElement.GetProperty("box");
            var result = new FaceBox(box.GetProperty("x").GetSingle(), box.GetProperty("y").GetSingle(),
                box.GetProperty("width").GetSingle(), box.GetProperty("height").GetSingle());
            return result.Width > 0 && result.Height > 0
                ? result
                : throw new CliException($"The box in '{path}' has no area.");
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException
                                              or InvalidOperationException or FormatException)
        {
            throw new CliException($"'{path}' holds no box {{\"x\", \"y\", \"width\", \"height\"}}: " +
                                   exception.Message);
        }
    }
}
