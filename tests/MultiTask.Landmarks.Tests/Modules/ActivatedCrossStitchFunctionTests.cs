using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// A cross-stitch unit fused with the activation and pooling before it must compute the floats of the two run in
/// turn (each column's fused activation and pooling, then the unit's kernel), forward, for every column's input
/// gradient and for the weights' gradient, including for an output that no loss reads.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ActivatedCrossStitchFunctionTests
{
    public static TheoryData<int, CrossStitchMode, ActivationKind, int, int> Cases() => new()
    {
        { 2, CrossStitchMode.PerChannel, ActivationKind.AbsTanh, 64, 2 }, // TCDCN's first unit at batch 64
        { 5, CrossStitchMode.PerChannel, ActivationKind.AbsTanh, 6, 2 },
        { 3, CrossStitchMode.PerStage, ActivationKind.Relu, 4, 2 },
        { 2, CrossStitchMode.PerStage, ActivationKind.Tanh, 3, 3 }, // 3x3 windows leave a row and a column over
        { 2, CrossStitchMode.PerChannel, ActivationKind.AbsTanh, 64, 1 }, // no pooling (TCDCN's conv4)
        { 3, CrossStitchMode.PerChannel, ActivationKind.AbsTanh, 37, 0 }, // dense features (TCDCN's fc)
        { 2, CrossStitchMode.PerStage, ActivationKind.Relu, 5, 0 },
    };

    /// <param name="pool">The pooling window; 0 for dense features [N, F], which have none.</param>
    [Theory]
    [MemberData(nameof(Cases))]
    public void TryMixActivated_EqualsActivationPoolingThenMixing(
        int columns, CrossStitchMode mode, ActivationKind activation, int images, int pool)
    {
        manual_seed(5 + columns);
        bool dense = pool == 0;
        pool = Math.Max(pool, 1);
        int channels = mode == CrossStitchMode.PerChannel ? 16 : 13, side = pool switch { 2 => 36, 1 => 2, _ => 10 };
        using var unit = new CrossStitchUnit("stage", columns, channels, mode, 0.7);
        using (no_grad())
        {
            unit.Weight.add_(randn_like(unit.Weight) * 0.2);
        }

        Tensor[] values = Enumerable.Range(0, columns).Select(_ => dense ? randn(images, channels) * 1.5
            : TrunkStage.ChannelsLast(randn(images, channels, side, side) * 1.5)).ToArray();
        Tensor[] upstream = Enumerable.Range(0, columns).Select(_ => dense ? randn(images, channels)
            : randn(images, channels, side / pool, side / pool)).ToArray();

        var fused = Run(values, upstream, unit, inputs => unit.TryMixActivated(inputs, activation, pool)!);
        var inTurn = Run(values, upstream, unit, inputs => unit.Mix(inputs.Select(x => pool > 1
            ? ActivationPoolFunction.Run(x, activation, pool) : Activated(x, activation)).ToArray()));

        for (int c = 0; c < columns; c++)
        {
            AssertSameFloats(inTurn.Outputs[c], fused.Outputs[c], $"output {c}");
            AssertSameFloats(inTurn.InputGradients[c], fused.InputGradients[c], $"input gradient {c}");
        }

        AssertSameFloats(inTurn.WeightGradient, fused.WeightGradient, "weight gradient");
        Assert.True(CrossStitchFunction.TryGetRows(fused.Outputs[0], out _, out _), "outputs stay in rows");
        DisposeAll(values);
        DisposeAll(upstream);
        fused.Dispose();
        inTurn.Dispose();
    }

    [Fact]
    public void TryMixActivated_AnOutputNoLossReads_MatchesTheStagesInTurn()
    {
        // Task-wise early stopping can leave a column's output out of the loss; autograd then sends it no gradient.
        manual_seed(3);
        using var unit = new CrossStitchUnit("stage", 2, 8, CrossStitchMode.PerChannel, 0.8);
        Tensor[] values = Enumerable.Range(0, 2).Select(_ => TrunkStage.ChannelsLast(randn(2, 8, 6, 6))).ToArray();
        Tensor[] upstream = { randn(2, 8, 3, 3), zeros(2, 8, 3, 3) };

        var fused = Run(
            values, upstream, unit, x => unit.TryMixActivated(x, ActivationKind.AbsTanh, 2)!, onlyFirst: true);
        var inTurn = Run(values, upstream, unit, x => unit.Mix(
            x.Select(v => ActivationPoolFunction.Run(v, ActivationKind.AbsTanh, 2)).ToArray()), onlyFirst: true);

        for (int c = 0; c < 2; c++)
        {
            AssertSameFloats(inTurn.InputGradients[c], fused.InputGradients[c], $"input gradient {c}");
        }

        AssertSameFloats(inTurn.WeightGradient, fused.WeightGradient, "weight gradient");
        Assert.Equal(0f, fused.WeightGradient[1].abs().max().item<float>());
        Assert.True(fused.WeightGradient[0].abs().max().item<float>() > 0, "the read output's weights learn");
        DisposeAll(values);
        DisposeAll(upstream);
        fused.Dispose();
        inTurn.Dispose();
    }

    [Fact]
    public void TryMixActivated_MapsTheKernelsDoNotTake_ReturnsNull()
    {
        using var unit = new CrossStitchUnit("stage", 2, 8, CrossStitchMode.PerChannel, 0.9);
        using Tensor nchw = randn(2, 8, 6, 6);
        using Tensor last = TrunkStage.ChannelsLast(nchw);
        using Tensor otherChannels = TrunkStage.ChannelsLast(randn(2, 4, 6, 6));
        using Tensor otherSize = TrunkStage.ChannelsLast(randn(2, 8, 8, 8));

        Assert.Null(unit.TryMixActivated(new[] { nchw, nchw }, ActivationKind.AbsTanh, 2));
        Assert.Null(unit.TryMixActivated(new[] { otherChannels, otherChannels }, ActivationKind.AbsTanh, 2));
        Assert.Null(unit.TryMixActivated(new[] { last, otherSize }, ActivationKind.AbsTanh, 2));
        Assert.Null(unit.TryMixActivated(new[] { last }, ActivationKind.AbsTanh, 2));
        using (no_grad())
        {
            Assert.Null(unit.TryMixActivated(new[] { last, last }, ActivationKind.AbsTanh, 2));
        }
    }

    /// <summary>The stage's libtorch activation, as <see cref="TrunkStage"/> runs it without pooling.</summary>
    private static Tensor Activated(Tensor x, ActivationKind activation) => activation switch
    {
        ActivationKind.AbsTanh => x.tanh().abs(),
        ActivationKind.Relu => nn.functional.relu(x),
        _ => x.tanh(),
    };

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

    private sealed record Result(Tensor[] Outputs, Tensor[] InputGradients, Tensor WeightGradient) : IDisposable
    {
        public void Dispose()
        {
            DisposeAll(Outputs);
            DisposeAll(InputGradients);
            WeightGradient.Dispose();
        }
    }
}
