using MultiTask.Landmarks.Losses;
using MultiTask.Landmarks.Modules;
using MultiTask.Landmarks.Tests.Infrastructure;
using TorchSharp;
using TorchSharp.Modules;
using static MultiTask.Landmarks.Tests.Modules.NetworkFixtures;
using static TorchSharp.torch;

namespace MultiTask.Landmarks.Tests.Modules;

[Collection(TorchCollection.Name)]
public sealed class MutualWeightRegularizationTests
{
    private static readonly long[][] Shapes = { new long[] { 3, 2, 2 }, new long[] { 4 } };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compute_EqualColumns_IsZero(bool affine)
    {
        manual_seed(41);
        using var mutual = new MutualWeightRegularization(2.5, 3, 2, affine);
        Tensor[] weights = Shapes.Select(s => randn(s)).ToArray();

        using Tensor penalty = mutual.Compute(new[] { weights, weights, weights });

        Assert.Equal(0f, penalty.item<float>());
        DisposeAll(weights);
    }

    [Fact]
    public void RegularizationLoss_SplitNetworkWithEqualColumns_IsZeroAndPositiveOnceOneDiffers()
    {
        manual_seed(42);
        using ColumnNetwork network = NetworkFactory.Create(new NetworkConfig
        {
            Architecture = ArchitectureKind.Split,
            SplitStage = 3,
            Tasks = TwoTasks,
            MutualRegularization = 1,
        });
        CopyInto(network, network, ("columns.landmarks.", "columns.smile."));

        using Tensor equal = network.RegularizationLoss()!;
        Parameter moved = network.named_parameters().Single(p => p.name == "columns.smile.fc.fc.weight").parameter;
        using (no_grad())
        using (Tensor element = moved[0, 0])
        {
            element.add_(0.5f);
        }

        using Tensor different = network.RegularizationLoss()!;

        // One of 64*64*4 + 100*256 = 41,984 compared weights moved by 0.5.
        Assert.Equal(0f, equal.item<float>());
        Assert.Equal(0.25 / 41_984, different.item<float>(), 1e-9);
    }

    [Fact]
    public void Compute_ConstantOffset_IsLambdaTimesSquareWhateverTheLayerSizesAndColumns()
    {
        manual_seed(43);
        double[] penalties = new double[3];
        (int Columns, long[][] Shapes)[] cases =
        {
            (2, new[] { new long[] { 3 } }),
            (2, new[] { new long[] { 64, 48, 3, 3 }, new long[] { 100, 256 } }),
            (4, new[] { new long[] { 16, 1, 5, 5 } }),
        };
        for (int i = 0; i < cases.Length; i++)
        {
            using var scope = NewDisposeScope();
            using var mutual = new MutualWeightRegularization(3, cases[i].Columns, cases[i].Shapes.Length, false);
            Tensor[] first = cases[i].Shapes.Select(s => randn(s)).ToArray();

            // Columns 0 and 1 differ by 0.1 everywhere; further columns equal column 0 or 1 alternately, so every
            // pair differs by 0 or 0.1 and the pairs' mean is lambda * 0.01 * (share of differing pairs).
            Tensor[][] columns = Enumerable.Range(0, cases[i].Columns)
                .Select(c => c % 2 == 0 ? first : first.Select(w => w + 0.1f).ToArray())
                .ToArray();

            penalties[i] = mutual.Compute(columns).item<float>();
        }

        Assert.Equal(3 * 0.01, penalties[0], 1e-6);
        Assert.Equal(3 * 0.01, penalties[1], 1e-6);

        // Four columns alternating: 4 of the 6 pairs differ.
        Assert.Equal(3 * 0.01 * 4 / 6, penalties[2], 1e-6);
    }

    [Fact]
    public void Compute_Gradient_MatchesCentralFiniteDifferencesInFloat64()
    {
        manual_seed(44);
        using var mutual = new MutualWeightRegularization(1.7, 3, 2, affine: true);
        mutual.to(ScalarType.Float64);
        Parameter[] affine = mutual.parameters().ToArray();
        using (no_grad())
        {
            foreach (Parameter p in affine)
            {
                p.copy_(randn(p.shape, ScalarType.Float64) * 0.5);
            }
        }

        Tensor[][] columns = Enumerable.Range(0, 3)
            .Select(_ => Shapes.Select(s => randn(s, ScalarType.Float64).requires_grad_()).ToArray())
            .ToArray();
        Tensor[] all = columns.SelectMany(c => c).Concat(affine).ToArray();

        using (Tensor penalty = mutual.Compute(columns))
        {
            penalty.backward();
        }

        const double step = 1e-6;
        double worst = 0;
        using var noGrad = no_grad();
        foreach (Tensor value in all)
        {
            using Tensor flat = value.view(-1);
            double[] analytic = value.grad!.contiguous().data<double>().ToArray();
            for (long i = 0; i < flat.numel(); i++)
            {
                using Tensor element = flat[i];
                double original = element.item<double>();
                element.fill_(original + step);
                double up = Evaluate(mutual, columns);
                element.fill_(original - step);
                double down = Evaluate(mutual, columns);
                element.fill_(original);
                double numeric = (up - down) / (2 * step);
                worst = Math.Max(worst, Math.Abs(numeric - analytic[i]) / Math.Max(1e-3, Math.Abs(numeric)));
            }
        }

        Assert.True(worst < 1e-6, $"Largest relative gradient error {worst:E2}.");
        DisposeAll(columns.SelectMany(c => c));
    }

    /// <summary>
    /// Column B's weights are constant, so an unbounded map a*W_A + b reaches them exactly with a = 0 and
    /// b = W_B: the penalty would vanish while the columns stay unrelated. With a kept within [1/2, 2], the best
    /// the map can do is a = 1/2, b = W_B - mean(W_A)/2, which leaves lambda * var(W_A) / 4.
    /// </summary>
    [Fact]
    public void Compute_AffineMapTrainedToEscape_CannotShrinkBelowTheGuardsBound()
    {
        manual_seed(45);
        const double lambda = 2;
        using var mutual = new MutualWeightRegularization(lambda, 2, 1, affine: true);
        using Tensor a = randn(200);
        using Tensor b = full(200, 0.3f);
        using Tensor variance = a.var(unbiased: false);
        double bound = lambda * variance.item<float>() / 4;
        using var optimizer = optim.Adam(mutual.parameters(), 0.05);

        for (int step = 0; step < 600; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            mutual.Compute(new[] { new[] { a }, new[] { b } }).backward();
            optimizer.step();
        }

        using Tensor final = mutual.Compute(new[] { new[] { a }, new[] { b } });
        double scale = mutual.Scales()[0][0];

        Assert.InRange(scale, 0.5, 0.51);
        Assert.True(final.item<float>() >= bound * (1 - 1e-4), $"Penalty {final.item<float>()} below {bound}.");
        Assert.True(final.item<float>() <= bound * 1.05, $"Penalty {final.item<float>()} did not reach {bound}.");
    }

    [Fact]
    public void Scales_SaturatedRawScale_StaysWithinHalfAndTwo()
    {
        using var mutual = new MutualWeightRegularization(1, 3, 2, affine: true);
        using (no_grad())
        {
            Parameter raw = mutual.named_parameters().Single(p => p.name == "scale_raw").parameter;
            raw.copy_(tensor(new float[] { -1e4f, 1e4f, 0, 0, 3, -3 }).reshape(3, 2));
        }

        double[][] scales = mutual.Scales();

        Assert.Equal(0.5, scales[0][0], 6);
        Assert.Equal(2.0, scales[0][1], 6);
        Assert.Equal(1.0, scales[1][0], 6);
        Assert.All(scales.SelectMany(s => s), s => Assert.InRange(s, 0.5, 2.0));
    }

    [Theory]
    [InlineData(-1.0, 2, 1)]
    [InlineData(double.PositiveInfinity, 2, 1)]
    [InlineData(1.0, 1, 1)]
    [InlineData(1.0, 2, 0)]
    public void Constructor_BadArguments_Throws(double lambda, int columns, int layers)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new MutualWeightRegularization(lambda, columns, layers, false));
    }

    [Fact]
    public void Compute_WrongNumberOfWeights_ThrowsArgumentException()
    {
        using var mutual = new MutualWeightRegularization(1, 2, 2, false);
        using Tensor w = zeros(2);

        var error = Assert.Throws<ArgumentException>(() => mutual.Compute(new[] { new[] { w, w }, new[] { w } }));

        Assert.Contains("Expected 2 columns of 2 weights", error.Message, StringComparison.Ordinal);
    }

    private static double Evaluate(MutualWeightRegularization mutual, Tensor[][] columns)
    {
        using Tensor penalty = mutual.Compute(columns);
        return penalty.item<double>();
    }
}
