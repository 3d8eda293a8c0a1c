using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The cloud's NAT gateway; defaults are the library's (<see cref="NatGatewayOptions.Aws"/>, AWS NAT Gateway's published limits).</summary>
public sealed record NatGatewaySpec
{
    public int PublicIps { get; init; } = ClusterOptions.Default.NatGateway.PublicIpCount;
    /// <summary>Ports per public IP, counted from the library gateway's first port.</summary>
    public int PortsPerIp { get; init; } = ClusterOptions.Default.NatGateway.Ports.Size;
    /// <summary>Concurrent connections to one destination (IP, port, protocol) per public IP.</summary>
    public int MaxConnectionsPerDestination { get; init; } = ClusterOptions.Default.NatGateway.MaxConnectionsPerDestination;
    public SimTime IdleTimeout { get; init; } = ClusterOptions.Default.NatGateway.IdleTimeout;
    /// <summary>Time a released port stays unusable for the same destination.</summary>
    public SimTime PortReuseDelay { get; init; } = ClusterOptions.Default.NatGateway.PortReuseDelay;
}
