using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// A cross-stitch unit fused with the activation and pooling before it must compute the floats of the two run in
/// turn (each column's fused activation and pooling, then the unit's kernel), forward, for every column's input
/// gradient and for the weights' gradient, including for an output that no loss reads.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PooledCrossStitchFunctionTests
{
    public static TheoryData<int, CrossStitchMode, ActivationKind, int, int> Cases() => new()
    {
        { 2, CrossStitchMode.PerChannel, ActivationKind.AbsTanh, 64, 2 }, // TCDCN's first unit at batch 64
        { 5, CrossStitchMode.PerChannel, ActivationKind.AbsTanh, 6, 2 },
        { 3, CrossStitchMode.PerStage, ActivationKind.Relu, 4, 2 },
        { 2, CrossStitchMode.PerStage, ActivationKind.Tanh, 3, 3 }, // 3x3 windows leave a row and a column over
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryMixPooled_EqualsActivationPoolingThenMixing(
        int columns, CrossStitchMode mode, ActivationKind activation, int images, int pool)
    {
        manual_seed(5 + columns);
        int channels = mode == CrossStitchMode.PerChannel ? 16 : 13, side = pool == 2 ? 36 : 10;
        using var unit = new CrossStitchUnit("stage", columns, channels, mode, 0.7);
        using (no_grad())
        {
            unit.Weight.add_(randn_like(unit.Weight) * 0.2);
        }

        Tensor[] values = Enumerable.Range(0, columns)
            .Select(_ => TrunkStage.ChannelsLast(randn(images, channels, side, side) * 1.5)).ToArray();
        Tensor[] upstream = Enumerable.Range(0, columns)
            .Select(_ => randn(images, channels, side / pool, side / pool)).ToArray();

        var fused = Run(values, upstream, unit, inputs => unit.TryMixPooled(inputs, activation, pool)!);
        var inTurn = Run(values, upstream, unit, inputs => unit.Mix(
            inputs.Select(x => ActivationPoolFunction.Run(x, activation, pool)).ToArray()));

        for (int c = 0; c < columns; c++)
        {
            AssertSameFloats(inTurn.Outputs[c], fused.Outputs[c], $"output {c}");
            AssertSameFloats(inTurn.InputGradients[c], fused.InputGradients[c], $"input gradient {c}");
        }

        AssertSameFloats(inTurn.WeightGradient, fused.WeightGradient, "weight gradient");
        Assert.True(CrossStitchFunction.TryGetRows(fused.Outputs[0], out _, out _), "outputs stay channels-last");
        NetworkFixtures.DisposeAll(values);
        NetworkFixtures.DisposeAll(upstream);
        fused.Dispose();
        inTurn.Dispose();
    }

    [Fact]
    public void TryMixPooled_AnOutputNoLossReads_MatchesTheStagesInTurn()
    {
        // Task-wise early stopping can leave a column's output out of the loss; autograd then sends it no gradient.
        manual_seed(3);
        using var unit = new CrossStitchUnit("stage", 2, 8, CrossStitchMode.PerChannel, 0.8);
        Tensor[] values = Enumerable.Range(0, 2).Select(_ => TrunkStage.ChannelsLast(randn(2, 8, 6, 6))).ToArray();
        Tensor[] upstream = { randn(2, 8, 3, 3), zeros(2, 8, 3, 3) };

        var fused = Run(values, upstream, unit, x => unit.TryMixPooled(x, ActivationKind.AbsTanh, 2)!, onlyFirst: true);
        var inTurn = Run(values, upstream, unit, x => unit.Mix(
            x.Select(v => ActivationPoolFunction.Run(v, ActivationKind.AbsTanh, 2)).ToArray()), onlyFirst: true);

        for (int c = 0; c < 2; c++)
        {
            AssertSameFloats(inTurn.InputGradients[c], fused.InputGradients[c], $"input gradient {c}");
        }

        AssertSameFloats(inTurn.WeightGradient, fused.WeightGradient, "weight gradient");
        Assert.Equal(0f, fused.WeightGradient[1].abs().max().item<float>());
        Assert.True(fused.WeightGradient[0].abs().max().item<float>() > 0, "the read output's weights learn");
        NetworkFixtures.DisposeAll(values);
        NetworkFixtures.DisposeAll(upstream);
        fused.Dispose();
        inTurn.Dispose();
    }

    [Fact]
    public void TryMixPooled_MapsTheKernelsDoNotTake_ReturnsNull()
    {
        using var unit = new CrossStitchUnit("stage", 2, 8, CrossStitchMode.PerChannel, 0.9);
        using Tensor nchw = randn(2, 8, 6, 6);
        using Tensor last = TrunkStage.ChannelsLast(nchw);
        using Tensor otherChannels = TrunkStage.ChannelsLast(randn(2, 4, 6, 6));
        using Tensor otherSize = TrunkStage.ChannelsLast(randn(2, 8, 8, 8));

        Assert.Null(unit.TryMixPooled(new[] { nchw, nchw }, ActivationKind.AbsTanh, 2));
        Assert.Null(unit.TryMixPooled(new[] { otherChannels, otherChannels }, ActivationKind.AbsTanh, 2));
        Assert.Null(unit.TryMixPooled(new[] { last, otherSize }, ActivationKind.AbsTanh, 2));
        Assert.Null(unit.TryMixPooled(new[] { last }, ActivationKind.AbsTanh, 2));
        using (no_grad())
        {
            Assert.Null(unit.TryMixPooled(new[] { last, last }, ActivationKind.AbsTanh, 2));
        }
    }

    private static Result Run(
        Tensor[] values, Tensor[] upstream, CrossStitchUnit unit, Func<Tensor[], IReadOnlyList<Tensor>> stage,
        bool onlyFirst = false)
    {
        unit.Weight.grad?.zero_();
        using var scope = NewDisposeScope();
        Tensor[] inputs = values.Select(v => v.detach().requires_grad_(true)).ToArray();
        IReadOnlyList<Tensor> outputs = stage(inputs);
        Tensor loss = outputs.Take(onlyFirst ? 1 : outputs.Count).Select((y, c) => (y * upstream[c]).sum())
            .Aggregate((a, b) => a + b);
        loss.backward();
        return new Result(
            outputs.Select(y => y.detach().MoveToOuterDisposeScope()).ToArray(),
            inputs.Select(x => x.grad!.MoveToOuterDisposeScope()).ToArray(),
            unit.Weight.grad!.clone().MoveToOuterDisposeScope());
    }

    /// <summary>Equal floats, NaN to NaN; a zero's sign aside.</summary>
    private static void AssertSameFloats(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        float[] left = expected.contiguous().data<float>().ToArray();
        float[] right = actual.contiguous().data<float>().ToArray();
        int differing = left.Zip(right)
            .Count(p => p.First != p.Second && !(float.IsNaN(p.First) && float.IsNaN(p.Second)));
        Assert.True(differing == 0, $"{what}: {differing} of {left.Length} floats differ");
    }

    private sealed record Result(Tensor[] Outputs, Tensor[] InputGradients, Tensor WeightGradient) : IDisposable
    {
        public void Dispose()
        {
            NetworkFixtures.DisposeAll(Outputs);
            NetworkFixtures.DisposeAll(InputGradients);
            WeightGradient.Dispose();
        }
    }
}
