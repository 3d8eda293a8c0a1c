namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A scenario with its sweep expanded: the base scenario (sweep included) and every point, each validated.</summary>
public sealed record ResolvedScenario(ScenarioSpec Scenario, IReadOnlyList<SweepPoint> Points);
