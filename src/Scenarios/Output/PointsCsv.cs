using System.Globalization;
using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>points.csv: the swept paths, <c>replication</c>, <c>seed</c>, then the <see cref="RunMetrics"/> columns.</summary>
public static class PointsCsv
{
    public const string FileName = "points.csv";

    public static CsvTable ToTable(RunReport report) => new(
        [.. report.Axes.Select(axis => axis.Path), "replication", "seed", .. MetricColumns.Names],
        [
            .. report.Results.Select(result => (IReadOnlyList<string>)
            [
                .. result.Values,
                result.Replication.ToString(CultureInfo.InvariantCulture),
                result.Seed.ToString(CultureInfo.InvariantCulture),
                .. Enumerable.Range(0, MetricColumns.Count).Select(column => MetricColumns.Format(result.Metrics, column)),
            ]),
        ]);

    /// <summary>
    /// Reads the results back; the point index is found from its values on the axes of the sweep, and each
    /// row's replication and seed must be those the scenario gives that run.
    /// </summary>
    /// <exception cref="InvalidDataException">The columns are not those of the sweep, or a row is not a run of the scenario.</exception>
    public static IReadOnlyList<PointResult> Read(string path, ScenarioSpec scenario)
    {
        SweepSpec sweep = scenario.Sweep;
        IReadOnlyList<SweepAxisSpec> axes = sweep.Axes;
        CsvTable table = CsvTable.Read(path);
        List<string> expected = [.. axes.Select(axis => axis.Path), "replication", "seed", .. MetricColumns.Names];
        if (!table.Header.SequenceEqual(expected))
            throw new InvalidDataException($"{path}: expected columns {string.Join(",", expected)}, found {string.Join(",", table.Header)}");
        Dictionary<string, int> pointIndex = Enumerable.Range(0, sweep.PointCount)
            .ToDictionary(index => SweepPoint.KeyOf(axes.Select(axis => axis.Path), sweep.ValuesAt(index)));
        var results = new List<PointResult>();
        foreach ((IReadOnlyList<string> row, int line) in table.Rows.Select((row, i) => (row, i + 2)))
        {
            IReadOnlyList<string> values = [.. row.Take(axes.Count)];
            if (!pointIndex.TryGetValue(SweepPoint.KeyOf(axes.Select(axis => axis.Path), values), out int index)
                || !int.TryParse(row[axes.Count], NumberStyles.None, CultureInfo.InvariantCulture, out int replication)
                || replication < 0 || replication >= scenario.Replications
                || !ulong.TryParse(row[axes.Count + 1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
                || seed != SweepTask.SeedOf(scenario.Seed, SweepPoint.KeyOf(axes.Select(axis => axis.Path), values), replication)
                || !MetricColumns.TryParse([.. row.Skip(axes.Count + 2)], out RunMetrics metrics))
                throw new InvalidDataException($"{path}:{line}: expected a run of the sweep (a point's values, a replication below {scenario.Replications} and its seed), found '{string.Join(",", row)}'");
            results.Add(new PointResult(index, values, replication, seed, metrics));
        }
        return results;
    }
}
