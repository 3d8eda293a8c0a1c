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
            if (summaries.Select(summary => summary.Means[column]).Distinct().Count() < 2) continue;
            List<ChartSeries> series =
            [
                .. summaries.GroupBy(summary => SeriesName(report, summary)).Select(group => new ChartSeries(group.Key,
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

    /// <summary>A chart of column <paramref name="y"/> against <paramref name="x"/> of a points.csv, replications averaged, one series per value of <paramref name="seriesColumn"/>.</summary>
    /// <exception cref="ArgumentException">A column is not in the table.</exception>
    public static Chart FromTable(CsvTable table, string x, string y, string? seriesColumn)
    {
        int xIndex = ColumnOf(table, x), yIndex = ColumnOf(table, y);
        int seriesIndex = seriesColumn is null ? -1 : ColumnOf(table, seriesColumn);
        List<ChartSeries> series =
        [
            .. table.Rows.GroupBy(row => seriesIndex < 0 ? y : $"{seriesColumn}={row[seriesIndex]}").Select(group => new ChartSeries(group.Key,
            [
                .. group.GroupBy(row => row[xIndex]).Select(atX =>
                {
                    (double mean, double ci95) = ReplicationStatistics.Of([.. atX.Select(row => double.Parse(row[yIndex], System.Globalization.CultureInfo.InvariantCulture))]);
                    return (atX.Key, mean, ci95);
                }),
            ])),
        ];
        return new Chart($"{y} vs {x}", x, Chart.LabelOf(y), series);
    }

    private static int ColumnOf(CsvTable table, string name)
    {
        int index = table.IndexOf(name);
        return index >= 0 ? index : throw new ArgumentException($"expected a column of {string.Join(", ", table.Header)}, found '{name}'", nameof(name));
    }

    private static string SeriesName(RunReport report, PointSummary summary) => report.Axes.Count == 1
        ? "mean"
        : string.Join(", ", report.Axes.Skip(1).Select((axis, i) => $"{axis.Path}={summary.Values[i + 1]}"));
}
