using System.Globalization;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// The charts of a sweep: each headline metric whose mean varies, against the first sweep axis, one
/// series per value of the other axes, as <c>&lt;metric&gt;.png</c> and <c>&lt;metric&gt;.svg</c>.
/// </summary>
public static class ChartWriter
{
    /// <summary>The metrics worth a chart; every <c>drops_*</c> column is added to these.</summary>
    private static readonly string[] Headline =
    [
        "setup_latency_p50_us", "setup_latency_p99_us", "request_latency_p99_us", "node_cpu_utilization_max",
        "connections_failed", "conntrack_entries_peak", "throughput_gbps", "nat_ports_in_use_peak",
        "dns_lookup_p99_ms", "ingress_cpu_utilization_max",
        "network_programming_latency_p50_ms", "network_programming_latency_p99_ms", "rule_sync_duration_p99_ms",
        "full_syncs", "iptables_nat_rules", "kube_proxy_sync_cpu_utilization_max",
    ];

    /// <summary>
    /// Published limits drawn across a metric's chart: the network programming latency SLO, p99 ≤ 30 s
    /// (kubernetes/community sig-scalability/slos/network_programming_latency.md; ClusterLoader2's threshold, perf-tests#2407).
    /// </summary>
    private static readonly Dictionary<string, ChartReference> ReferenceLines = new(StringComparer.Ordinal)
    {
        ["network_programming_latency_p99_ms"] = new(30_000, "SLO p99 30 s"),
    };

    /// <summary>Writes the charts into <paramref name="directory"/> and returns their base names; none without a sweep.</summary>
    public static IReadOnlyList<string> Write(string directory, RunReport report, IReadOnlyList<PointSummary> summaries)
    {
        if (report.Axes.Count == 0) return [];
        var written = new List<string>();
        foreach (string metric in Headline.Concat(MetricColumns.Names.Where(name => name.StartsWith("drops_", StringComparison.Ordinal))))
        {
            int column = MetricColumns.Names.ToList().IndexOf(metric);
            // A point where nothing was measured (NaN, an empty field) has no place on the chart.
            List<PointSummary> measured = [.. summaries.Where(summary => double.IsFinite(summary.Means[column]))];
            if (measured.Select(summary => summary.Means[column]).Distinct().Count() < 2) continue;
            List<ChartSeries> series =
            [
                .. measured.GroupBy(summary => SeriesName(report, summary)).Select(group => new ChartSeries(group.Key,
                    [.. group.Select(summary => (summary.Values[0], summary.Means[column], summary.Ci95[column]))])),
            ];
            var chart = new Chart($"{report.Scenario.Name}: {metric}", report.Axes[0].Path, Chart.LabelOf(metric), series)
            {
                Reference = ReferenceLines.GetValueOrDefault(metric),
            };
            chart.Save(Path.Combine(directory, metric + ".png"));
            chart.Save(Path.Combine(directory, metric + ".svg"));
            written.Add(metric);
        }
        return written;
    }

    /// <summary>
    /// A chart of column <paramref name="y"/> against <paramref name="x"/> of a points.csv, replications averaged, one
    /// series per value of <paramref name="seriesColumn"/>; rows with an empty <paramref name="y"/> (nothing measured)
    /// are skipped and counted.
    /// </summary>
    /// <param name="table">The CSV.</param>
    /// <param name="source">The CSV's file name, for messages.</param>
    /// <exception cref="InvalidDataException">A column is not in the table, the table has no rows, or a <paramref name="y"/> value is not a finite number.</exception>
    public static (Chart Chart, int Skipped) FromTable(CsvTable table, string source, string x, string y, string? seriesColumn)
    {
        int xIndex = ColumnOf(table, source, "--x", x), yIndex = ColumnOf(table, source, "--y", y);
        int seriesIndex = seriesColumn is null ? -1 : ColumnOf(table, source, "--series", seriesColumn);
        var rows = new List<(IReadOnlyList<string> Row, double Y)>();
        int skipped = 0;
        for (int i = 0; i < table.Rows.Count; i++)
        {
            string text = table.Rows[i][yIndex];
            if (text.Length == 0)
            {
                skipped++;
                continue;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new InvalidDataException($"{source}:{i + 2}: --y column '{y}': expected a finite number, found '{text}'");
            rows.Add((table.Rows[i], value));
        }
        if (rows.Count == 0)
            throw new InvalidDataException($"{source}: --y column '{y}': expected at least one row with a value, found {table.Rows.Count} rows and none with a value");
        List<ChartSeries> series =
        [
            .. rows.GroupBy(row => seriesIndex < 0 ? y : $"{seriesColumn}={row.Row[seriesIndex]}").Select(group => new ChartSeries(group.Key,
            [
                .. group.GroupBy(row => row.Row[xIndex]).Select(atX =>
                {
                    (double mean, double ci95) = ReplicationSummary.Of([.. atX.Select(row => row.Y)]);
                    return (atX.Key, mean, ci95);
                }),
            ])),
        ];
        return (new Chart($"{y} vs {x}", x, Chart.LabelOf(y), series), skipped);
    }

    private static int ColumnOf(CsvTable table, string source, string option, string name)
    {
        int index = table.IndexOf(name);
        return index >= 0 ? index : throw new InvalidDataException($"{source}: {option}: expected a column of {string.Join(", ", table.Header)}, found '{name}'");
    }

    private static string SeriesName(RunReport report, PointSummary summary) => report.Axes.Count == 1
        ? "mean"
        : string.Join(", ", report.Axes.Skip(1).Select((axis, i) => $"{axis.Path}={summary.Values[i + 1]}"));
}
