using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// A whole scenario as resolved from YAML: every default filled in, every value validated.
/// Property defaults are the format's defaults (docs/cli.md); the loader only overrides what a file sets.
/// </summary>
public sealed record ScenarioSpec
{
    /// <summary>The scenario's name; also the default output folder, <c>results/&lt;name&gt;</c>.</summary>
    public required string Name { get; init; }
    /// <summary>What the scenario asks.</summary>
    public string Description { get; init; } = "";
    /// <summary>What its author expects to see, stated before running (as OMNeT++ experiments do).</summary>
    public string ExpectedResult { get; init; } = "";
    /// <summary>Master seed; every (point, replication) seed is derived from it.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Measured simulated time, after <see cref="Warmup"/>.</summary>
    public SimTime Duration { get; init; } = SimTime.FromSeconds(10);
    /// <summary>Simulated time discarded before measuring.</summary>
    public SimTime Warmup { get; init; } = SimTime.FromSeconds(2);
    /// <summary>How the stateful tables begin, before <see cref="Warmup"/> (the library's <see cref="ClusterOptions.WarmStart"/>).</summary>
    public WarmStartMode WarmStart { get; init; } = ClusterOptions.Default.WarmStart;
    /// <summary>The most replications a point may ask for.</summary>
    public const int MaxReplications = 10_000;

    /// <summary>Independent seeds per sweep point (1 to <see cref="MaxReplications"/>; 2 or more for confidence intervals).</summary>
    public int Replications { get; init; } = 3;
    public ClusterSpec Cluster { get; init; } = new();
    public ServicesSpec Services { get; init; } = new();
    public ChurnSpec Churn { get; init; } = new();
    public EgressSpec Egress { get; init; } = new();
    public IngressSpec Ingress { get; init; } = new();
    public DnsSpec Dns { get; init; } = new();
    /// <summary>The traffic; at least one workload.</summary>
    public IReadOnlyList<WorkloadSpec> Workloads { get; init; } = [];
    /// <summary>The sweep axes; empty for a single point.</summary>
    public SweepSpec Sweep { get; init; } = new();
}
