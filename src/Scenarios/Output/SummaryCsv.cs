namespace ClusterNetPerf.Scenarios.Output;

/// <summary>summary.csv: one row per point, its swept values, then <c>&lt;metric&gt;_mean</c> and <c>&lt;metric&gt;_ci95</c> per metric.</summary>
public static class SummaryCsv
{
    public const string FileName = "summary.csv";

    public static CsvTable ToTable(RunReport report, IReadOnlyList<PointSummary> summaries) => new(
        [.. report.Axes.Select(axis => axis.Path), .. MetricColumns.Names.SelectMany(name => (string[])[$"{name}_mean", $"{name}_ci95"])],
        [
            .. summaries.Select(summary => (IReadOnlyList<string>)
            [
                .. summary.Values,
                .. Enumerable.Range(0, MetricColumns.Count).SelectMany(column => (string[])
                    [MetricColumns.FormatDouble(summary.Means[column]), MetricColumns.FormatDouble(summary.Ci95[column])]),
            ]),
        ]);
}
