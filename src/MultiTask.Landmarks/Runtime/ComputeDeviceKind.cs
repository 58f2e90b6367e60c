namespace MultiTask.Landmarks.Runtime;

/// <summary>The kind of device a model runs on.</summary>
public enum ComputeDeviceKind
{
    /// <summary>CUDA when a CUDA backend and a GPU are present, otherwise the CPU.</summary>
    Auto,

    /// <summary>The CPU, through whichever libtorch backend the application references.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU, through the TorchSharp-cuda-* backend.</summary>
    Cuda,
}
