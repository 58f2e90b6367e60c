using MultiTask.Landmarks.Evaluation;
using MultiTask.Landmarks.Training;
using ScottPlot;

namespace MultiTask.Landmarks.Cli.Output;

/// <summary>The PNG figures mtl writes.</summary>
internal static class Plots
{
    /// <summary>Training loss and validation error per epoch.</summary>
    public static void TrainingCurves(IReadOnlyList<EpochSummary> history, string path)
    {
        var plot = new Plot();
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Select(e => e.TrainingLoss).ToArray());
        loss.LegendText = "training loss (left)";
        double[] validation = history.Select(e => (e.ValidationInterOcularError ?? double.NaN) * 100).ToArray();
        if (validation.Any(double.IsFinite))
        {
            var error = plot.Add.Scatter(epochs, validation);
            error.LegendText = "validation error, % inter-ocular (right)";
            error.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "% of inter-ocular distance";
        }

        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Title("Training curves");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }

    /// <summary>The cumulative error distribution of an evaluation.</summary>
    public static void CumulativeError(CumulativeErrorDistribution? curve, string label, string path)
    {
        var plot = new Plot();
        if (curve is not null)
        {
            var line = plot.Add.Scatter(
                curve.Points.Select(p => p.Threshold * 100).ToArray(),
                curve.Points.Select(p => p.Share * 100).ToArray());
            line.MarkerSize = 0;
            line.LegendText = label;
        }

        plot.Axes.Bottom.Label.Text = "error threshold (% of " + label + ")";
        plot.Axes.Left.Label.Text = "faces within threshold (%)";
        plot.Axes.SetLimitsY(0, 100);
        plot.Title("Cumulative error distribution");
        plot.SavePng(path, 800, 500);
    }
}
