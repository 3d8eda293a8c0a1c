namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One sweep axis: a scenario path (e.g. <c>services.count</c>, <c>workloads[0].connectionsPerSecond</c>) and its values as written.</summary>
public sealed record SweepAxisSpec(string Path, IReadOnlyList<string> Values);
