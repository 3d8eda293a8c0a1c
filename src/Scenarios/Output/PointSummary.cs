using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>One row of summary.csv: a point's values and, per metric column, mean and 95% CI half-width over its replications.</summary>
/// <param name="PointIndex">The point's canonical index.</param>
/// <param name="Values">The point's sweep values, one per axis.</param>
/// <param name="Means">Per metric column (<see cref="MetricColumns"/> order), the mean.</param>
/// <param name="Ci95">Per metric column, the 95% confidence half-width (NaN with one replication).</param>
public sealed record PointSummary(int PointIndex, IReadOnlyList<string> Values, IReadOnlyList<double> Means, IReadOnlyList<double> Ci95)
{
    /// <summary>Summaries of every point of <paramref name="report"/>, in canonical order.</summary>
    public static IReadOnlyList<PointSummary> Of(RunReport report) =>
    [
        .. report.Results.GroupBy(result => result.PointIndex).OrderBy(group => group.Key).Select(group =>
        {
            List<PointResult> runs = [.. group.OrderBy(result => result.Replication)];
            var stats = Enumerable.Range(0, MetricColumns.Count)
                .Select(column => ReplicationSummary.Of([.. runs.Select(run => MetricColumns.Value(run.Metrics, column))]))
                .ToList();
            return new PointSummary(group.Key, runs[0].Values, [.. stats.Select(s => s.mean)], [.. stats.Select(s => s.halfWidth)]);
        }),
    ];
}
