using MultiTask.Landmarks.Data;
using MultiTask.Landmarks.Data.Synthetic;
using MultiTask.Landmarks.Inference;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Training;

// Data: the library's built-in synthetic faces (MtflReader.Read("training.txt") reads the real MTFL list the same way).
IReadOnlyList<FaceSample> faces = new SyntheticFaceGenerator().Generate(1500);

// A TCDCN trunk shared by the landmarks and the four attributes (gender, smile, glasses, pose).
var config = new NetworkConfig { Preset = TrunkPresets.TcdcnName, Architecture = ArchitectureKind.Shared };
using LandmarkModel model = LandmarkModel.Create(config);

// Train on a small budget; a tenth of the faces is held out for validation.
var trainer = new Trainer(new TrainerOptions { Epochs = 4, BatchSize = 32, LearningRate = 2e-3 });
TrainingResult result = await trainer.FitAsync(model.Network, faces);
Console.WriteLine($"Trained {result.History.Count} epochs at {result.TrainingFacesPerSecond:F0} faces/s; " +
                  $"validation error {result.History[^1].ValidationInterOcularError:P1} of the inter-ocular distance.");

// Save the model file, load it back as another process would, and predict a face it has never seen.
model.Save("face.mtl");
using LandmarkPredictor predictor = LandmarkPredictor.Load("face.mtl");
FaceSample face = new SyntheticFaceGenerator(new SyntheticFaceOptions { Seed = 7 }).GenerateFace(0);
using var image = face.Image.Load();
FacePrediction prediction = predictor.Predict(image, face.Box);

for (int i = 0; i < prediction.Landmarks.Count; i++)
{
    Landmark p = prediction.Landmarks[i], truth = face.Landmarks[i];
    Console.WriteLine($"{predictor.Model.Schema.PointNames[i],-12} predicted ({p.X,5:F1}, {p.Y,5:F1})  " +
                      $"true ({truth.X,5:F1}, {truth.Y,5:F1})");
}

Console.WriteLine($"P(smiling) = {prediction.Attributes["smile"][0]:F2}; the face is " +
                  $"{(face.Attributes.Smile == 0 ? "smiling" : "not smiling")}.");
