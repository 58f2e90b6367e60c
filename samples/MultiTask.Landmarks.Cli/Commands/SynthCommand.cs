using System.CommandLine;
using MultiTask.Landmarks.Cli.Output;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MultiTask.Landmarks.Cli.Commands;

/// <summary>mtl synth: writes one built-in synthetic face as a PNG, so that predict has an image on any machine.
/// </summary>
internal static class SynthCommand
{
    public static Command Create(GlobalOptions global)
    {
        var output = new Option<FileInfo>("--out")
        {
            Description = "The PNG to write.",
            DefaultValueFactory = _ => new FileInfo("face.png"),
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Which face: every seed draws another one (the training faces of mtl train use seed 0).",
            DefaultValueFactory = _ => 1,
        };
        var size = new Option<int>("--size")
        {
            Description = "The image's width and height in pixels (32 to 1024).",
            DefaultValueFactory = _ => 256,
        };
        var command = new Command("synth", "Draw a synthetic face (PNG) and write its true box, landmarks and " +
                                           "attributes as JSON beside it (for predict --box FILE.json).");
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(size);
        command.SetAction((result, cancellation) =>
            CommandRunner.RunAsync(result, global, cancellation, (_, _) =>
            {
                int pixels = result.GetValue(size);
                if (pixels is < 32 or > 1024)
                {
                    throw new CliException($"--size must lie between 32 and 1024, not {pixels}.");
                }

                string path = result.GetValue(output)!.FullName;
                var generator = new SyntheticFaceGenerator(
                    new SyntheticFaceOptions { ImageSize = pixels, Seed = result.GetValue(seed) });
                FaceSample face = generator.GenerateFace(0);
                Write(face, path);
                FaceBox faceBox = face.Box!.Value;
                var report = new
                {
                    image = path,
                    box = new { x = faceBox.X, y = faceBox.Y, width = faceBox.Width, height = faceBox.Height },
                    landmarks = face.Landmarks.Select((p, i) => new
                    {
                        name = SyntheticFaceGenerator.Schema.PointNames[i], x = p.X, y = p.Y,
                    }).ToArray(),
                    attributes = FaceAttributes.AttributeNames.ToDictionary(a => a, a => face.Attributes.Get(a)),
                };
                string truth = Path.ChangeExtension(path, ".json");
                Json.Write(truth, report);
                Console.WriteLine(Json.Serialize(report));
                string image = Path.GetRelativePath(Environment.CurrentDirectory, path);
                string box = Path.GetRelativePath(Environment.CurrentDirectory, truth);
                Console.Error.WriteLine(
                    $"Wrote {image} and {box}. Try: mtl predict --model runs/latest --image {image} --box {box} " +
                    "--out overlay.png");
                return Task.FromResult(ExitCodes.Success);
            }));
        return command;
    }

    private static void Write(FaceSample face, string path)
    {
        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using Image<Rgb24> image = face.Image.Load();
        image.SaveAsPng(path);
    }
}
