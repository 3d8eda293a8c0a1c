using System.Text.Json;
using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>shard.json, written beside a shard's points.csv: which slice it is and of what, so merge can check and join shards.</summary>
/// <param name="Index">The shard's index I (from 0).</param>
/// <param name="Count">The number of shards N.</param>
/// <param name="TotalRuns">Runs in the whole sweep (points × replications).</param>
/// <param name="Scenario">The resolved scenario (identical in every shard of one sweep).</param>
/// <param name="Counters">This shard's counters.</param>
public sealed record ShardManifest(int Index, int Count, int TotalRuns, ScenarioSpec Scenario, RunCounters Counters)
{
    public const string FileName = "shard.json";

    public string ProgramVersion { get; init; } = Output.ProgramVersion.Text;

    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJson.Options) + "\n";

    /// <summary>Reads a shard manifest.</summary>
    /// <exception cref="InvalidDataException">The file is not a shard manifest.</exception>
    public static ShardManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), ScenarioJson.Options)
                ?? throw new InvalidDataException($"{path}: expected a shard manifest, found null");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: expected a shard manifest, found invalid JSON ({exception.Message})", exception);
        }
    }
}
