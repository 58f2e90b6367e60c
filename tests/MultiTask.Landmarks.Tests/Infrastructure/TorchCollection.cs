namespace MultiTask.Landmarks.Tests.Infrastructure;

/// <summary>
/// libtorch's state (thread count, random seed, default dtype) is process-wide, so every test that touches it runs in
/// this one collection, never in parallel with another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "Torch";
}
