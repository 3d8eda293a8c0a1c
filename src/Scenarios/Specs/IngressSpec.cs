using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The ingress tier: controller pods, their cores and per-request cost, and the Service policy in front of them.</summary>
public sealed record IngressSpec
{
    public int ControllerReplicas { get; init; } = ClusterOptions.Default.Ingress.ControllerReplicas;
    public int ControllerCores { get; init; } = ClusterOptions.Default.Ingress.ControllerCores;
    /// <summary>CPU per request: the scenario's one key for <see cref="DataPlaneCosts.IngressPerRequest"/>.</summary>
    public SimTime CostPerRequest { get; init; } = ClusterOptions.Default.Costs.IngressPerRequest;
    public ExternalTrafficPolicy ExternalTrafficPolicy { get; init; } = ClusterOptions.Default.Ingress.ExternalTrafficPolicy;
    /// <summary>Distinct Host headers routed (one backend Service each).</summary>
    public int Hosts { get; init; } = ClusterOptions.Default.Ingress.Hosts;
}
