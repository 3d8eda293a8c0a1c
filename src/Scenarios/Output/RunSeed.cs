namespace ClusterNetPerf.Scenarios.Output;

/// <summary>The seed of one run, as listed in run.json.</summary>
/// <param name="Point">The point's canonical key (<c>path=value,…</c>; empty with no sweep).</param>
/// <param name="Replication">Replication number, from 0.</param>
/// <param name="Seed">The seed.</param>
public sealed record RunSeed(string Point, int Replication, ulong Seed);
