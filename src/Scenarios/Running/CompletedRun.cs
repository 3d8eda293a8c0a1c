using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>A finished run: what it measured, and how long it took on the wall clock (for run.json only).</summary>
internal sealed record CompletedRun(RunMetrics Metrics, double WallSeconds);
