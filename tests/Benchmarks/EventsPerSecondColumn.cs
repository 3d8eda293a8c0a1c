using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ClusterNetPerf.Benchmarks;

/// <summary>
/// Events per second = 1e9 / (ns per operation), for benchmarks whose operation is one event
/// (they set <c>OperationsPerInvoke</c> to the events each invocation runs).
/// </summary>
public sealed class EventsPerSecondColumn : IColumn
{
    public string Id => nameof(EventsPerSecondColumn);
    public string ColumnName => "Events/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Events per second: 1e9 / Mean (ns per event)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanosecondsPerEvent = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanosecondsPerEvent is > 0
            ? (1e9 / nanosecondsPerEvent.Value).ToString("N0", CultureInfo.InvariantCulture)
            : "-";
    }
}
