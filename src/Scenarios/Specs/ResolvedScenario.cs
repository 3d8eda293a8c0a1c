namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A scenario with its sweep expanded: the base scenario (sweep included) and every point, each validated.</summary>
public sealed record ResolvedScenario(ScenarioSpec Scenario, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The scenario as one point, its sweep ignored (what <c>clusternetperf run</c> does).</summary>
    public ResolvedScenario WithoutSweep()
    {
        ScenarioSpec single = Scenario with { Sweep = new SweepSpec() };
        return new ResolvedScenario(single, [new SweepPoint(0, [], "", single)]);
    }
}
