using System.Security.Cryptography;
using System.Text;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// Runs already made, on disk: one small CSV per run under a folder, named by the SHA-256 of the
/// resolved scenario (as run.json would show it) and the seed. A search run again with a wider range,
/// more SLOs or more replications runs only what it has not run before. A file written by a build with
/// other metric columns is a miss, not an error. Safe to use from several threads.
/// </summary>
public sealed class RunCache
{
    private readonly string _directory;

    /// <param name="directory">The cache folder; created on first store.</param>
    public RunCache(string directory) => _directory = directory;

    /// <summary>The key of a run: hash of the resolved scenario's JSON and the seed.</summary>
    public static string KeyOf(ScenarioSpec scenario, ulong seed) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{ScenarioJson.Serialize(scenario)}\nseed {seed}\n"))).ToLowerInvariant();

    /// <summary>The metrics of the run, if it was stored.</summary>
    public bool TryGet(ScenarioSpec scenario, ulong seed, out RunMetrics metrics)
    {
        metrics = new RunMetrics();
        string path = PathOf(KeyOf(scenario, seed));
        if (!File.Exists(path)) return false;
        CsvTable table;
        try
        {
            table = CsvTable.Read(path);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return false;
        }
        return table.Header.SequenceEqual(MetricColumns.Names) && table.Rows.Count == 1 && MetricColumns.TryParse(table.Rows[0], out metrics);
    }

    /// <summary>Stores the run (atomically, so a reader never sees half a file).</summary>
    public void Store(ScenarioSpec scenario, ulong seed, RunMetrics metrics)
    {
        Directory.CreateDirectory(_directory);
        string[] row = [.. Enumerable.Range(0, MetricColumns.Count).Select(column => MetricColumns.Format(metrics, column))];
        new CsvTable(MetricColumns.Names, [row]).Write(PathOf(KeyOf(scenario, seed)));
    }

    private string PathOf(string key) => Path.Combine(_directory, key + ".csv");
}
