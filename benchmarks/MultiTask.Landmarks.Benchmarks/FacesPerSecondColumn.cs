using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MultiTask.Landmarks.Benchmarks;

/// <summary>A column with the faces per second a benchmark's mean time stands for, to compare with the targets.
/// </summary>
internal sealed class FacesPerSecondColumn : IColumn
{
    public string Id => nameof(FacesPerSecondColumn);

    public string ColumnName => "Faces/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Faces handled per second at the mean time (the batch size, or the faces of one call)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        int? faces = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<FacesPerInvokeAttribute>()?.Faces
            ?? benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "BatchSize")?.Value as int?;
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (faces is null || mean is not > 0)
        {
            return "-";
        }

        return (faces.Value / (mean.Value * 1e-9)).ToString("N0", CultureInfo.InvariantCulture);
    }
}
