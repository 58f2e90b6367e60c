using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

/// <summary>
/// The fused kernel (channels-last maps and dense features) against the libtorch multiply-adds that the unit still
/// uses for other layouts: NCHW copies of the same activations take that path, so the two are compared on the same
/// values, forward and through every gradient.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CrossStitchFunctionTests
{
    private const double Tolerance = 2e-5;

    public static TheoryData<int, CrossStitchMode, bool> Cases()
    {
        var data = new TheoryData<int, CrossStitchMode, bool>();
        foreach (int columns in new[] { 2, 3, 5 })
        {
            foreach (CrossStitchMode mode in new[] { CrossStitchMode.PerChannel, CrossStitchMode.PerStage })
            {
                data.Add(columns, mode, false);
                data.Add(columns, mode, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mix_FusedPath_MatchesLibTorchPathForwardAndEveryGradient(
        int columns, CrossStitchMode mode, bool dense)
    {
        manual_seed(71 + columns);

        // 13 channels (dense: 21 features) leave a remainder after the kernel's vector width, so its scalar tail
        // is covered; 37 rows split between two threads unevenly.
        long channels = dense ? 21 : 13;
        using var unit = Perturbed(columns, channels, mode);
        Tensor[] values = Enumerable.Range(0, columns)
            .Select(_ => dense ? randn(37, channels) : randn(3, channels, 5, 7)).ToArray();
        Tensor[] upstream = values.Select(v => randn_like(v)).ToArray();

        (Tensor[] fusedOut, Tensor[] fusedGrad, Tensor fusedWeightGrad) =
            Run(unit, values.Select(v => dense ? v.clone() : ChannelsLast(v)).ToArray(), upstream);
        (Tensor[] referenceOut, Tensor[] referenceGrad, Tensor referenceWeightGrad) =
            Run(unit, values.Select(v => dense ? Strided(v) : v.clone()).ToArray(), upstream);

        for (int c = 0; c < columns; c++)
        {
            Assert.True(MaxDifference(fusedOut[c], referenceOut[c]) <= Tolerance, $"output {c}");
            Assert.True(MaxDifference(fusedGrad[c], referenceGrad[c]) <= Tolerance, $"input gradient {c}");
        }

        double scale = referenceWeightGrad.abs().max().item<float>();
        Assert.True(MaxDifference(fusedWeightGrad, referenceWeightGrad) <= Tolerance * scale, "weight gradient");
        if (!dense)
        {
            Assert.True(CrossStitchFunction.TryGetRows(fusedOut[0], out _, out _), "outputs stay channels-last");
        }

        DisposeAll(values);
        DisposeAll(upstream);
        DisposeAll(fusedOut);
        DisposeAll(fusedGrad);
        DisposeAll(referenceOut);
        DisposeAll(referenceGrad);
        fusedWeightGrad.Dispose();
        referenceWeightGrad.Dispose();
    }

    [Fact]
    public void Mix_FusedPath_AnOutputNoLossReadsContributesNothing()
    {
        // Task-wise early stopping can leave a column's output out of the loss; autograd then sends no gradient.
        manual_seed(81);
        using var unit = Perturbed(3, 4, CrossStitchMode.PerChannel);
        (Tensor[] fused, Tensor[] reference) = LeafColumns(3, 2, 4, 3, 3);

        using (Tensor loss = unit.Mix(fused)[1].square().sum())
        {
            loss.backward();
        }

        using Tensor fusedWeightGrad = unit.Weight.grad!.clone();
        unit.Weight.grad!.zero_();
        using (Tensor loss = unit.Mix(reference)[1].square().sum())
        {
            loss.backward();
        }

        for (int c = 0; c < 3; c++)
        {
            Assert.True(MaxDifference(fused[c].grad!, reference[c].grad!) <= Tolerance);
        }

        Assert.True(MaxDifference(fusedWeightGrad, unit.Weight.grad!) <= Tolerance);
        using Tensor unusedRows = fusedWeightGrad[0];
        Assert.Equal(0, unusedRows.abs().max().item<float>());
        unit.Weight.grad!.zero_();
        DisposeAll(fused);
        DisposeAll(reference);
    }

    [Fact]
    public void Mix_FusedPath_AcceptsGradientsInAnotherLayout()
    {
        // A following op may hand back NCHW gradients for channels-last outputs; the backward copies them once.
        manual_seed(82);
        // (an NCHW copy's gradient for the first output, the expanded ones of a sum for the second).
        using var unit = Perturbed(2, 3, CrossStitchMode.PerChannel);
        (Tensor[] fused, Tensor[] reference) = LeafColumns(2, 2, 3, 4, 4);
        using Tensor target = randn(2, 3, 4, 4);

        IReadOnlyList<Tensor> mixed = unit.Mix(fused);
        using (Tensor loss = (mixed[0].contiguous() * target).sum() + mixed[1].sum())
        {
            loss.backward();
        }

        using Tensor fusedWeightGrad = unit.Weight.grad!.clone();
        unit.Weight.grad!.zero_();
        IReadOnlyList<Tensor> expected = unit.Mix(reference);
        using (Tensor loss = (expected[0] * target).sum() + expected[1].sum())
        {
            loss.backward();
        }

        for (int c = 0; c < 2; c++)
        {
            Assert.True(MaxDifference(fused[c].grad!, reference[c].grad!) <= Tolerance);
        }

        Assert.True(MaxDifference(fusedWeightGrad, unit.Weight.grad!) <= Tolerance * 10);
        unit.Weight.grad!.zero_();
        DisposeAll(fused);
        DisposeAll(reference);
        DisposeAll(mixed);
        DisposeAll(expected);
    }

    [Fact]
    public void Mix_FusedPathWithoutGradients_EqualsTheRecordedForward()
    {
        manual_seed(83);
        using var unit = Perturbed(4, 6, CrossStitchMode.PerChannel);
        Tensor[] inputs = Enumerable.Range(0, 4).Select(_ => ChannelsLast(randn(2, 6, 3, 5))).ToArray();

        IReadOnlyList<Tensor> recorded = unit.Mix(inputs);
        IReadOnlyList<Tensor> inferred;
        using (no_grad())
        {
            inferred = unit.Mix(inputs);
        }

        for (int c = 0; c < 4; c++)
        {
            Assert.True(recorded[c].requires_grad);
            Assert.False(inferred[c].requires_grad);
            Assert.Equal(0, MaxDifference(recorded[c], inferred[c]));
        }

        DisposeAll(inputs);
        DisposeAll(recorded);
        DisposeAll(inferred);
    }

    [Fact]
    public void TryGetRows_AcceptsRowsOfChannelsOnly()
    {
        using Tensor channelsLast = ChannelsLast(zeros(2, 3, 4, 5));
        using Tensor nchw = zeros(2, 3, 4, 5);
        using Tensor oneChannel = zeros(2, 1, 4, 5);
        using Tensor features = zeros(6, 7);
        using Tensor transposed = zeros(7, 6).t();
        using Tensor doubles = zeros(6, 7, ScalarType.Float64);
        using Tensor threeAxes = zeros(2, 3, 4);

        Assert.True(CrossStitchFunction.TryGetRows(channelsLast, out long rows, out int channels));
        Assert.Equal((40L, 3), (rows, channels));
        Assert.False(CrossStitchFunction.TryGetRows(nchw, out _, out _));
        Assert.True(CrossStitchFunction.TryGetRows(oneChannel, out rows, out channels), "one channel is both layouts");
        Assert.Equal((40L, 1), (rows, channels));
        Assert.True(CrossStitchFunction.TryGetRows(features, out rows, out channels));
        Assert.Equal((6L, 7), (rows, channels));
        Assert.False(CrossStitchFunction.TryGetRows(transposed, out _, out _));
        Assert.False(CrossStitchFunction.TryGetRows(doubles, out _, out _));
        Assert.False(CrossStitchFunction.TryGetRows(threeAxes, out _, out _));
    }

    private static CrossStitchUnit Perturbed(int columns, long channels, CrossStitchMode mode)
    {
        var unit = new CrossStitchUnit("stage", columns, channels, mode, 0.7);
        using (no_grad())
        {
            using Tensor noise = randn_like(unit.Weight) * 0.2;
            unit.Weight.add_(noise);
        }

        return unit;
    }

    private static (Tensor[] Outputs, Tensor[] InputGradients, Tensor WeightGradient) Run(
        CrossStitchUnit unit, Tensor[] inputs, Tensor[] upstream)
    {
        foreach (Tensor input in inputs)
        {
            input.requires_grad_();
        }

        IReadOnlyList<Tensor> outputs = unit.Mix(inputs);
        using (var scope = NewDisposeScope())
        {
            Tensor loss = outputs.Select((o, c) => (o * upstream[c]).sum()).Aggregate((a, b) => a + b);
            loss.backward();
        }

        Tensor[] gradients = inputs.Select(i => i.grad!.clone()).ToArray();
        Tensor weightGradient = unit.Weight.grad!.clone();
        unit.Weight.grad!.zero_();
        Tensor[] detached = outputs.Select(o => o.detach()).ToArray();
        DisposeAll(outputs);
        DisposeAll(inputs);
        return (detached, gradients, weightGradient);
    }

    /// <summary>The same random columns twice, as leaves that require gradients: channels-last (the fused path) and
    /// NCHW (libtorch's multiply-adds).</summary>
    private static (Tensor[] Fused, Tensor[] Reference) LeafColumns(int columns, params long[] shape)
    {
        Tensor[] values = Enumerable.Range(0, columns).Select(_ => randn(shape)).ToArray();
        Tensor[] fused = values.Select(v => ChannelsLast(v).requires_grad_()).ToArray();
        Tensor[] reference = values.Select(v => v.clone().requires_grad_()).ToArray();
        DisposeAll(values);
        return (fused, reference);
    }

    private static Tensor ChannelsLast(Tensor input)
    {
        long[] s = input.shape;
        return empty_strided(s, new[] { s[1] * s[2] * s[3], 1, s[3] * s[1], s[1] }).copy_(input);
    }

    // The same values in column-major memory: not rows of features, so the unit takes the libtorch path.
    private static Tensor Strided(Tensor input) => input.t().contiguous().t();
}
