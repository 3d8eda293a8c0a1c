using ClusterNetPerf.Sim.Cluster;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The CNI plugin's mode and the pod interface MTU in bytes.</summary>
public sealed record CniSpec
{
    public CniMode Mode { get; init; } = ClusterOptions.Default.Cni;
    public int Mtu { get; init; } = ClusterOptions.Default.Mtu;
}
