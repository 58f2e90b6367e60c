using Microsoft.Extensions.Logging;
using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Boxes;
using MultiTask.Landmarks.Data.Preprocessing;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tasks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Inference;

/// <summary>
/// Finds landmarks and attributes on photos with a trained <see cref="LandmarkModel"/>. It crops through the same
/// <see cref="FaceCropper"/> path as training, maps the points back to the original image's pixels, and may be shared
/// by any number of threads.
/// </summary>
public sealed class LandmarkPredictor : IDisposable
{
    private readonly object gate = new();
    private readonly LandmarkModel model;
    private readonly bool ownsModel;
    private readonly FaceCropper cropper;
    private readonly TaskSpec landmarkTask;
    private readonly TaskSpec[] attributeTasks;
    private readonly int landmarkOffset;
    private readonly int[] attributeOffsets;
    private readonly int outputWidth;
    private readonly Device device;
    private bool disposed;

    /// <summary>Initializes a new instance of the <see cref="LandmarkPredictor"/> class.</summary>
    /// <param name="model">The model.</param>
    /// <param name="ownsModel">Whether disposing the predictor disposes the model.</param>
    /// <exception cref="ArgumentException">The model has no landmark task.</exception>
    public LandmarkPredictor(LandmarkModel model, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.ownsModel = ownsModel;
        cropper = new FaceCropper(model.Crop);
        landmarkTask = model.Network.Tasks.FirstOrDefault(t => t.Kind == TaskKind.Landmarks)
            ?? throw new ArgumentException("The model has no landmark task.", nameof(model));
        attributeTasks = model.Network.Tasks.Where(t => t.Kind == TaskKind.Classification).ToArray();
        // Where each task's outputs start in a row of ForwardJoined's result (the tasks side by side, in order).
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (TaskSpec task in model.Network.Tasks)
        {
            offsets[task.Name] = outputWidth;
            outputWidth += task.Outputs;
        }

        landmarkOffset = offsets[landmarkTask.Name];
        attributeOffsets = attributeTasks.Select(t => offsets[t.Name]).ToArray();

        device = model.Network.parameters().First().device;
        model.Network.eval();
    }

    /// <summary>Gets the model.</summary>
    public LandmarkModel Model => model;

    /// <summary>Loads a model file into a new predictor that owns it.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="device">The device; <see langword="null"/> for <see cref="DeviceRequest.Auto"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <returns>The predictor.</returns>
    public static LandmarkPredictor Load(string path, DeviceRequest? device = null, ILogger? logger = null) =>
        new(LandmarkModel.Load(path, device, logger), ownsModel: true);

    /// <summary>Predicts the face in an image file.</summary>
    /// <param name="imagePath">The image file.</param>
    /// <param name="box">The face box in image pixels, found the way the model's training boxes were (see
    /// <see cref="LandmarkModel.BoxPolicy"/>); <see langword="null"/> only for models trained on whole images.</param>
    /// <param name="loadOptions">Image size limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable image; the message names it.</exception>
    public FacePrediction Predict(string imagePath, FaceBox? box = null, ImageLoadOptions? loadOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagePath);
        using Image<Rgb24> image = new FileImageSource(imagePath).Load(loadOptions);
        return Predict(image, box);
    }

    /// <summary>Predicts the face in an encoded image stream (JPEG, PNG, BMP, GIF, ...).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="box">The face box in image pixels, found the way the model's training boxes were (see
    /// <see cref="LandmarkModel.BoxPolicy"/>); <see langword="null"/> only for models trained on whole images.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="InvalidDataException">The stream is not a decodable image.</exception>
    public FacePrediction Predict(Stream stream, FaceBox? box = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Image<Rgb24> image;
        try
        {
            image = Image.Load<Rgb24>(stream);
        }
        catch (Exception exception)
            when (exception is ImageFormatException or UnknownImageFormatException or NotSupportedException)
        {
            throw new InvalidDataException($"The stream is not a decodable image: {exception.Message}", exception);
        }

        using (image)
        {
            return Predict(image, box);
        }
    }

    /// <summary>Predicts the face in an image.</summary>
    /// <param name="image">The image.</param>
    /// <param name="box">The face box in image pixels, found the way the model's training boxes were (see
    /// <see cref="LandmarkModel.BoxPolicy"/>); <see langword="null"/> only for models trained on whole images.</param>
    /// <returns>The prediction.</returns>
    public FacePrediction Predict(Image<Rgb24> image, FaceBox? box = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PredictBatch(new[] { (image, box) })[0];
    }

    /// <summary>Predicts several faces in one forward pass.</summary>
    /// <param name="faces">Each image with its face box (<see langword="null"/> only for models trained on whole
    /// images).</param>
    /// <returns>One prediction per face, in order.</returns>
    public IReadOnlyList<FacePrediction> PredictBatch(IReadOnlyList<(Image<Rgb24> Image, FaceBox? Box)> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (faces.Count == 0)
        {
            return Array.Empty<FacePrediction>();
        }

        var crops = new FaceCrop[faces.Count];
        var boxes = new FaceBox[faces.Count];
        for (int i = 0; i < faces.Count; i++)
        {
            Image<Rgb24> image = faces[i].Image
                ?? throw new ArgumentException($"Face {i} has no image.", nameof(faces));
            // Without a box only a whole-image model can be cropped the way it was trained; any other crop would show
            // the network another convention, and its answers would be quietly wrong.
            boxes[i] = faces[i].Box
                ?? (model.BoxPolicy == BoxPolicy.WholeImage
                    ? new FaceBox(0, 0, image.Width, image.Height)
                    : throw MissingBox(i, model.BoxPolicy, nameof(faces)));
            if (!(boxes[i].Width > 0) || !(boxes[i].Height > 0))
            {
                throw new ArgumentException($"Face {i}'s box {boxes[i]} has no area.", nameof(faces));
            }
        }

        // Every input is checked above, so the crops can run on every core without an error surfacing from a worker:
        // one takes about 0.12 ms, more than a face's share of the network's pass at large batches (0.05-0.08 ms).
        if (faces.Count == 1)
        {
            crops[0] = cropper.Crop(faces[0].Image, boxes[0]);
        }
        else
        {
            Parallel.For(0, faces.Count, i => crops[i] = cropper.Crop(faces[i].Image, boxes[i]));
        }

        float[] outputs = Forward(crops);
        var predictions = new FacePrediction[faces.Count];
        int k = landmarkTask.Size;
        for (int i = 0; i < faces.Count; i++)
        {
            var row = new ReadOnlySpan<float>(outputs, i * outputWidth, outputWidth);
            var landmarks = new Landmark[k];
            for (int p = 0; p < k; p++)
            {
                int at = landmarkOffset + (2 * p);
                (double x, double y) = crops[i].Transform.ToImage(row[at], row[at + 1]);
                landmarks[p] = new Landmark((float)x, (float)y);
            }

            var attributes = new Dictionary<string, float[]>(attributeTasks.Length, StringComparer.Ordinal);
            for (int t = 0; t < attributeTasks.Length; t++)
            {
                attributes[attributeTasks[t].Name] = Softmax(row.Slice(attributeOffsets[t], attributeTasks[t].Size));
            }

            predictions[i] = new FacePrediction(landmarks, boxes[i], attributes);
        }

        return predictions;
    }

    /// <summary>The class probabilities of a few logits, computed here rather than by one softmax op per task: for
    /// one face the op would cost more than the arithmetic.</summary>
    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var probabilities = new float[logits.Length];
        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            double exponential = Math.Exp(logits[c] - max);
            probabilities[c] = (float)exponential;
            sum += exponential;
        }

        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = (float)(probabilities[c] / sum);
        }

        return probabilities;
    }

    private static ArgumentException MissingBox(int face, BoxPolicy policy, string parameter) => new(
        $"Face {face} has no box, but this model was trained on {policy} face boxes; pass the face's box in image " +
        "pixels (from the same kind of detector or rule as the training boxes).", parameter);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            if (ownsModel)
            {
                model.Dispose();
            }
        }
    }

    /// <summary>Runs the network on the crops; returns every face's joined outputs, one row of
    /// <see cref="outputWidth"/> values per face, in the order of the network's tasks.</summary>
    private float[] Forward(FaceCrop[] crops)
    {
        FaceCrop first = crops[0];
        int size = first.Channels * first.Height * first.Width;
        float[] input = new float[crops.Length * size];
        for (int i = 0; i < crops.Length; i++)
        {
            crops[i].Pixels.CopyTo(input, i * size);
        }

        // A module's forward pass is not safe to run concurrently with itself; the lock makes shared use safe and
        // keeps results identical to sequential calls (each call is its own batch).
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var scope = NewDisposeScope();
            // Inference mode skips the version counters and view tracking that no_grad still keeps.
            using var inference = inference_mode();
            long[] shape = { crops.Length, first.Channels, first.Height, first.Width };
            Tensor batch = tensor(input, shape, device: device);
            return model.Network.ForwardJoined(batch).cpu().data<float>().ToArray();
        }
    }
}
