namespace MultiTask.Landmarks.Runtime;

/// <summary>
/// Runs a generation-0 garbage collection every few training steps, so that the .NET runtime's record of TorchSharp's
/// tensor wrappers stays small. Every tensor a step creates is a finalizable .NET object; the runtime lists each one
/// in its finalization queue until a collection removes the disposed ones, and it grows that queue by copying it to a
/// new native block 1.2 times larger. Where the generation-0 budget is large (it follows the processor's cache: about
/// 84 MB on a machine with a 260 MB level-3 cache) a training step allocates too little managed memory to trigger a
/// collection for hundreds of steps, and each copy of the queue lands between the step's activation buffers in the C
/// library's heap, which then grows instead of reusing them. Measured on the two-column cross-stitch TCDCN at batch 64:
/// about 590 page faults a step for the first 300 steps and a heap of 1,072 MB (100 MB of it in use); with a
/// collection every 16 steps, 15 faults a step over the first 100 steps, none after, and a heap of 146 MB. A
/// collection's pause grows with the steps since the last one, so collecting often costs about what the runtime's
/// own, rarer collections would.
/// </summary>
/// <remarks>The trainer uses one; a training loop of one's own calls <see cref="StepDone"/> after each optimizer step.
/// Not thread-safe: one instance per training loop.</remarks>
public sealed class StepCollector
{
    /// <summary>The interval the trainer uses.</summary>
    public const int DefaultStepsPerCollection = 16;

    private readonly int stepsPerCollection;
    private int steps;

    /// <summary>Initializes a new instance of the <see cref="StepCollector"/> class.</summary>
    /// <param name="stepsPerCollection">The number of steps between collections; 0 turns them off.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepsPerCollection"/> is negative.</exception>
    public StepCollector(int stepsPerCollection = DefaultStepsPerCollection)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepsPerCollection);
        this.stepsPerCollection = stepsPerCollection;
    }

    /// <summary>Gets the number of collections this instance has run.</summary>
    public int Collections { get; private set; }

    /// <summary>Counts a finished step and, every <c>stepsPerCollection</c> steps, collects generation 0 (blocking,
    /// without compaction of older generations).</summary>
    public void StepDone()
    {
        if (stepsPerCollection == 0 || ++steps < stepsPerCollection)
        {
            return;
        }

        steps = 0;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        Collections++;
    }
}
