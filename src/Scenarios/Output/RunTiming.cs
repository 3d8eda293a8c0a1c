namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// How long one run took on the wall clock, as listed in run.json. Kept out of points.csv and
/// summary.csv so that those are byte-identical for the same scenario and seed.
/// </summary>
/// <param name="Point">The point's canonical key (<c>path=value,…</c>; empty with no sweep).</param>
/// <param name="Replication">Replication number, from 0.</param>
/// <param name="WallSeconds">Wall-clock seconds the run took on its thread.</param>
public sealed record RunTiming(string Point, int Replication, double WallSeconds);
