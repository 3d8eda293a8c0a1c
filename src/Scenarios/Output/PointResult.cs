using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>What one (point, replication) measured: one row of points.csv.</summary>
/// <param name="PointIndex">The point's position in canonical sweep order.</param>
/// <param name="Values">The point's sweep values as written, one per axis.</param>
/// <param name="Replication">Replication number, from 0.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Metrics">What the run measured.</param>
public sealed record PointResult(int PointIndex, IReadOnlyList<string> Values, int Replication, ulong Seed, RunMetrics Metrics);
