using System.CommandLine;
using System.Globalization;
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
        var model = new Option<FileInfo>("--model") { Description = "The model file, or a folder holding model.mtl.", Required = true };
        var image = new Option<FileInfo>("--image") { Description = "The image (JPEG, PNG, BMP, GIF, ...).", Required = true };
        var box = new Option<string?>("--box") { Description = "The face box in pixels as X,Y,W,H. Default: the whole image." };
        var output = new Option<FileInfo?>("--out") { Description = "Write a copy of the image with the points and the box drawn on it (PNG)." };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var command = new Command("predict", "Predict the landmarks and attributes of the face in an image; prints JSON.");
        command.Options.Add(model);
        command.Options.Add(image);
        command.Options.Add(box);
        command.Options.Add(output);
        command.Options.Add(device);
        command.SetAction((result, cancellation) => CommandRunner.RunAsync(result, global, cancellation, (logger, _) =>
        {
            string modelPath = EvaluateCommand.ModelPath(result.GetValue(model)!.FullName);
            string imagePath = result.GetValue(image)!.FullName;
            if (!File.Exists(imagePath))
            {
                throw new CliException($"The image '{imagePath}' does not exist.");
            }

            FaceBox? faceBox = ParseBox(result.GetValue(box));
            using LandmarkPredictor predictor = LandmarkPredictor.Load(modelPath, EvaluateCommand.ParseDevice(result.GetValue(device)!), logger);
            FacePrediction prediction = predictor.Predict(imagePath, faceBox);
            var report = new
            {
                image = imagePath,
                box = new { x = prediction.Box.X, y = prediction.Box.Y, width = prediction.Box.Width, height = prediction.Box.Height },
                landmarks = prediction.Landmarks.Select((p, i) => new { name = predictor.Model.Schema.PointNames[i], x = p.X, y = p.Y }).ToArray(),
                attributes = prediction.Attributes.ToDictionary(
                    pair => pair.Key, pair => new { predicted = prediction.MostLikely(pair.Key), probabilities = pair.Value }),
            };
            Console.WriteLine(Json.Serialize(report));
            if (result.GetValue(output) is FileInfo overlay)
            {
                Overlay.Draw(imagePath, prediction, overlay.FullName);
                Console.Error.WriteLine($"Wrote {overlay.FullName}");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    public static FaceBox? ParseBox(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[4];
        if (parts.Length != 4 || parts.Select((p, i) => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any(ok => !ok)
            || values.Any(v => !float.IsFinite(v)) || values[2] <= 0 || values[3] <= 0)
        {
            throw new CliException($"--box must be X,Y,W,H with a positive width and height, such as 40,50,120,120; got '{text}'.");
        }

        return new FaceBox(values[0], values[1], values[2], values[3]);
    }
}
