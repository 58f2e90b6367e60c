using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Runtime;
using MultiTask.Landmarks.Tests.Infrastructure;
using MultiTask.Landmarks.Tests.Training;
using MultiTask.Landmarks.Training;

namespace MultiTask.Landmarks.Tests.Inference;

/// <summary>A tiny model trained for two epochs on synthetic faces and saved to a model file, and faces to predict.
/// </summary>
internal static class PredictorFixture
{
    private static readonly Lazy<string> ModelPath = new(Train);

    public static IReadOnlyList<FaceSample> Faces { get; } = TinyTraining.Faces(64, seed: 3);

    /// <summary>Gets the path of the saved model file.</summary>
    public static string ModelFile => ModelPath.Value;

    public static LandmarkPredictor Load() => LandmarkPredictor.Load(ModelFile, DeviceRequest.Cpu);

    private static string Train()
    {
        using LandmarkModel model = LandmarkModel.Create(TinyTraining.Config);
        new Trainer(TinyTraining.Options(2)).FitAsync(model.Network, TinyTraining.Faces(120)).GetAwaiter().GetResult();
        string path = Path.Combine(TestPaths.NewTemporaryFolder(), "tiny.mtl");
        model.Save(path);
        return path;
    }
}
