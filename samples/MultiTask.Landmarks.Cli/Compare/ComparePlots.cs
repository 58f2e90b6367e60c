using System.Globalization;
using ScottPlot;

namespace MultiTask.Landmarks.Cli.Compare;

/// <summary>The figures of a comparison: landmark error per variant, and the learned cross-stitch weights.</summary>
internal static class ComparePlots
{
    /// <summary>Bars of the mean landmark error per variant with one standard deviation as error bars; a second bar
    /// per variant for the box-width error when the evaluation set has real face boxes.</summary>
    public static void LandmarkErrors(IReadOnlyList<VariantSummary> summaries, string path)
    {
        var plot = new Plot();
        bool boxWidth = summaries.Any(s => s.NmeBoxWidth is not null);
        var series = new List<(string Label, Func<VariantSummary, Statistic?> Metric, Color Colour)>
        {
            ("inter-ocular distance", s => s.NmeInterOcular, Colors.SteelBlue),
        };
        if (boxWidth)
        {
            series.Add(("face-box width", s => s.NmeBoxWidth, Colors.DarkOrange));
        }

        double width = 0.8 / series.Count;
        for (int k = 0; k < series.Count; k++)
        {
            var bars = new List<Bar>();
            for (int i = 0; i < summaries.Count; i++)
            {
                if (series[k].Metric(summaries[i]) is Statistic value)
                {
                    bars.Add(new Bar
                    {
                        Position = i + ((k - ((series.Count - 1) / 2.0)) * width),
                        Value = value.Mean * 100,
                        Error = value.StandardDeviation * 100,
                        FillColor = series[k].Colour,
                        Size = width * 0.95,
                    });
                }
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[k].Label;
        }

        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, summaries.Count).Select(i => (double)i).ToArray(),
            summaries.Select(s => s.Name).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.Rotation = summaries.Count > 4 ? -20 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = summaries.Count > 4 ? Alignment.MiddleRight : Alignment.UpperCenter;
        plot.Axes.Left.Label.Text = "mean landmark error (%)";
        plot.Axes.Margins(bottom: 0);
        plot.Title("Landmark error by architecture (mean ± sd over seeds)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 520);
    }

    /// <summary>One heat map per stage of the learned mixing weights [from][to], side by side.</summary>
    public static void CrossStitchWeights(string variant, IReadOnlyList<CrossStitchStage> stages, string path)
    {
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        multiplot.AddPlots(stages.Count);
        for (int s = 0; s < stages.Count; s++)
        {
            CrossStitchStage stage = stages[s];
            Plot plot = multiplot.GetPlot(s);
            int n = stage.Columns.Count;
            var cells = new double[n, n];
            for (int from = 0; from < n; from++)
            {
                for (int to = 0; to < n; to++)
                {
                    cells[from, to] = stage.Weights[from][to];
                }
            }

            var heatmap = plot.Add.Heatmap(cells);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            for (int from = 0; from < n; from++)
            {
                for (int to = 0; to < n; to++)
                {
                    var label = plot.Add.Text(
                        stage.Weights[from][to].ToString("F2", CultureInfo.InvariantCulture), to, n - 1 - from);
                    label.LabelFontColor = stage.Weights[from][to] > 0.6 ? Colors.Black : Colors.White;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontSize = n > 4 ? 10 : 12;
                }
            }

            double[] ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            plot.Axes.Bottom.SetTicks(ticks, stage.Columns.ToArray());
            plot.Axes.Left.SetTicks(ticks, stage.Columns.Reverse().ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Left.Label.Text = s == 0 ? "from (rows) \u2192 to (columns)" : string.Empty;
            plot.Title($"after {stage.Stage}");
        }

        multiplot.SavePng(path, 330 * stages.Count, 380);
    }
}
