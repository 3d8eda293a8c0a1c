using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>One (point, replication) of a sweep: the unit that is run, logged, resumed and sharded.</summary>
/// <param name="Index">Position in canonical order: point index × replications + replication.</param>
/// <param name="Point">The sweep point.</param>
/// <param name="Replication">Replication number, from 0.</param>
/// <param name="Seed">The run's seed, derived from the scenario seed, the point key and the replication.</param>
public sealed record SweepTask(int Index, SweepPoint Point, int Replication, ulong Seed)
{
    /// <summary>Every task of <paramref name="resolved"/> in canonical order: points in sweep order, replications within each.</summary>
    public static IReadOnlyList<SweepTask> All(ResolvedScenario resolved)
    {
        int replications = resolved.Scenario.Replications;
        var tasks = new List<SweepTask>(resolved.Points.Count * replications);
        foreach (SweepPoint point in resolved.Points)
            for (int replication = 0; replication < replications; replication++)
                tasks.Add(new SweepTask(tasks.Count, point, replication, SeedOf(resolved.Scenario.Seed, point.Key, replication)));
        return tasks;
    }

    /// <summary>
    /// The seed of a run: <see cref="RandomStreams.DeriveMasterSeed"/> of the scenario seed and
    /// <c>pointKey#replication</c>, so a run's numbers depend only on what it is, not on which shard or
    /// thread runs it or which other points the sweep has.
    /// </summary>
    public static ulong SeedOf(ulong scenarioSeed, string pointKey, int replication) =>
        RandomStreams.DeriveMasterSeed(scenarioSeed, $"{pointKey}#{replication}");
}
