using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>Everything a sweep (or a shard, or merged shards) produced, results in canonical order.</summary>
/// <param name="Scenario">The resolved scenario, its sweep included (empty for a single point).</param>
/// <param name="Results">One per (point, replication) run, in canonical order.</param>
/// <param name="Counters">Whole-run counters.</param>
public sealed record RunReport(ScenarioSpec Scenario, IReadOnlyList<PointResult> Results, RunCounters Counters)
{
    /// <summary>The sweep axes, whose paths name the first columns of the CSVs.</summary>
    public IReadOnlyList<SweepAxisSpec> Axes => Scenario.Sweep.Axes;

    /// <summary>Runs taken from the completion log of an interrupted sweep (<c>--resume</c>) rather than run again.</summary>
    public int ReusedRuns { get; init; }
}
