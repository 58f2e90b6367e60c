namespace MultiTask.Landmarks.Training;

/// <summary>The optimizer a trainer uses.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba, 2015).</summary>
    Adam,

    /// <summary>Stochastic gradient descent with (Nesterov-free) momentum.</summary>
    Sgd,
}
