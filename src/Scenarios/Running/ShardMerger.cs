using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>
/// Joins the output directories of the shards of one sweep into exactly the files one machine would have
/// written (points.csv, summary.csv, run.json, charts), after checking that the shards belong together and
/// cover every run once.
/// </summary>
public static class ShardMerger
{
    /// <summary>Merges <paramref name="shardDirectories"/> into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="InvalidDataException">A shard is missing, repeated, from another sweep, or its files are damaged.</exception>
    public static RunReport Merge(IReadOnlyList<string> shardDirectories, string outputDirectory)
    {
        if (shardDirectories.Count == 0) throw new InvalidDataException("merge: expected at least one shard directory, found none");
        List<(string Directory, ShardManifest Manifest)> shards =
            [.. shardDirectories.Select(directory => (directory, ShardManifest.Read(Path.Combine(directory, ShardManifest.FileName))))];
        ShardManifest first = shards[0].Manifest;
        string scenario = ScenarioJson.Serialize(first.Scenario);
        foreach ((string directory, ShardManifest manifest) in shards)
        {
            if (ScenarioJson.Serialize(manifest.Scenario) != scenario || manifest.Count != first.Count || manifest.TotalRuns != first.TotalRuns)
                throw new InvalidDataException($"{directory}: expected a shard of the same sweep as {shards[0].Directory}, found another scenario or shard count");
        }
        int[] indexes = [.. shards.Select(shard => shard.Manifest.Index).Order()];
        if (!indexes.SequenceEqual(Enumerable.Range(0, first.Count)))
            throw new InvalidDataException($"merge: expected shards 0 to {first.Count - 1} once each, found {string.Join(", ", indexes)}");

        List<PointResult> results =
        [
            .. shards.SelectMany(shard => PointsCsv.Read(Path.Combine(shard.Directory, PointsCsv.FileName), first.Scenario))
                .OrderBy(result => result.PointIndex).ThenBy(result => result.Replication),
        ];
        int distinct = results.Select(result => (result.PointIndex, result.Replication)).Distinct().Count();
        if (results.Count != first.TotalRuns || distinct != results.Count)
            throw new InvalidDataException($"merge: expected {first.TotalRuns} distinct runs, found {distinct} distinct of {results.Count}");

        string[] paths = [.. first.Scenario.Sweep.Axes.Select(axis => axis.Path)];
        Dictionary<(string, int), int> order = results
            .Select((result, position) => (Key: (SweepPoint.KeyOf(paths, result.Values), result.Replication), position))
            .ToDictionary(entry => entry.Key, entry => entry.position);
        var counters = new RunCounters(
            results.Sum(result => result.Metrics.Events),
            shards.Sum(shard => shard.Manifest.Counters.WallSeconds),
            shards.Max(shard => shard.Manifest.Counters.PeakMemoryBytes),
            [.. shards.SelectMany(shard => shard.Manifest.Counters.Timings).OrderBy(timing => order[(timing.Point, timing.Replication)])]);
        var report = new RunReport(first.Scenario, results, counters);
        ResultWriter.WriteRun(outputDirectory, report);
        return report;
    }
}
