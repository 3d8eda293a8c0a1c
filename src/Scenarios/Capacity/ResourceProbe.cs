using ClusterNetPerf.Scenarios.Specs;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// One finite resource the limits report checks: the metric that says how much of it a run used
/// (the first of <see cref="Metrics"/> this build's runs expose) and its capacity in the scenario.
/// A probe whose metric no run exposes, or whose capacity the scenario does not have, is left out,
/// so probes can be listed before the model measures what they read.
/// </summary>
/// <param name="Resource">What is finite, as the report names it.</param>
/// <param name="Metrics">Candidate metric names, preferred first (a metric renamed between builds keeps its probe).</param>
/// <param name="Capacity">The limit in the metric's unit, from the resolved scenario; null when it does not apply.</param>
/// <param name="Limit">How the capacity is stated, e.g. "nf_conntrack_max per node".</param>
public sealed record ResourceProbe(string Resource, IReadOnlyList<string> Metrics, Func<ScenarioSpec, double?> Capacity, string Limit)
{
    /// <summary>The metric this build's runs expose, or null.</summary>
    public string? Metric => Metrics.FirstOrDefault(MetricCatalog.Contains);
}
