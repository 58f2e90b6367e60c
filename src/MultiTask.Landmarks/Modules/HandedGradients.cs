using static TorchSharp.torch;

namespace MultiTask.Landmarks.Modules;

/// <summary>
/// Releases what the custom autograd functions' backward passes make as soon as libtorch no longer needs it.
/// TorchSharp registers the tensors a backward pass creates, and the gradients it is given, in the dispose scope of
/// the training step, so they lived until the step ended, where libtorch's own ops free theirs as soon as the engine
/// has used them. Held across the optimiser's allocations, the input gradients of five columns (5.3 MB each at
/// TCDCN's first stage) fragmented glibc's heap until it grew by about 20 MB a step: five independent columns had
/// 991 MB of heap after 40 steps and 2,692 MB after 120, 82-92 MB of it in use. A backward pass now disposes its own
/// temporaries and the gradients it was given before it returns; the gradients it returns must outlive the call
/// (TorchSharp copies them to libtorch afterwards), so they are handed over here and disposed at the next custom
/// function call on the same thread, or when the trainer calls <see cref="Release"/> after the backward pass. The
/// same network then had 150 MB of heap after 40 steps and 202 MB after 240.
/// </summary>
internal static class HandedGradients
{
    [ThreadStatic]
    private static List<Tensor>? handed;

    /// <summary>Takes gradients out of the current dispose scope, to be disposed at the next <see cref="Release"/>.
    /// </summary>
    /// <param name="gradients">The gradients a backward pass returns; null entries are skipped.</param>
    public static void Hand(IEnumerable<Tensor?> gradients)
    {
        handed ??= new List<Tensor>();
        foreach (Tensor? gradient in gradients)
        {
            if (gradient is not null)
            {
                handed.Add(gradient.DetachFromDisposeScope());
            }
        }
    }

    /// <summary>Disposes the gradients handed over by earlier backward passes on this thread: TorchSharp has copied
    /// them to libtorch by the time the next custom function runs.</summary>
    public static void Release()
    {
        if (handed is not { Count: > 0 } list)
        {
            return;
        }

        foreach (Tensor gradient in list)
        {
            gradient.Dispose();
        }

        list.Clear();
    }
}
