using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The CNI plugin's mode and the pod interface MTU in bytes.</summary>
public sealed record CniSpec
{
    public CniMode Mode { get; init; } = CniMode.Routed;
    public int Mtu { get; init; } = 1500;
}
