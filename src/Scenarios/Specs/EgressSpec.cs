using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Traffic leaving the cluster: node SNAT ports, the cloud NAT gateway, and the Internet beyond it.</summary>
public sealed record EgressSpec
{
    /// <summary>Ports a node's MASQUERADE may allocate (see <see cref="ClusterOptions.SnatPortRange"/>).</summary>
    public PortRange SnatPortRange { get; init; } = ClusterOptions.Default.SnatPortRange;
    public NatGatewaySpec NatGateway { get; init; } = new();
    public InternetSpec Internet { get; init; } = new();
}
