using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The ingress tier: controller pods, their cores and per-request cost, and the Service policy in front of them.</summary>
public sealed record IngressSpec
{
    public int ControllerReplicas { get; init; } = 2;
    public int ControllerCores { get; init; } = 2;
    public SimTime CostPerRequest { get; init; } = SimTime.FromMicroseconds(50);
    public ExternalTrafficPolicy ExternalTrafficPolicy { get; init; } = ExternalTrafficPolicy.Cluster;
    /// <summary>Distinct Host headers routed (one backend Service each).</summary>
    public int Hosts { get; init; } = 1;
}
