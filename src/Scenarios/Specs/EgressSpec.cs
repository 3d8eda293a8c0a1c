using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Traffic leaving the cluster: node SNAT ports, the cloud NAT gateway, and the Internet beyond it.</summary>
public sealed record EgressSpec
{
    /// <summary>Ports a node's MASQUERADE may allocate (net.ipv4.ip_local_port_range).</summary>
    public PortRange SnatPortRange { get; init; } = PortRange.Unprivileged;
    public NatGatewaySpec NatGateway { get; init; } = new();
    public InternetSpec Internet { get; init; } = new();
}
