using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The cloud's NAT gateway (defaults follow AWS NAT Gateway's published limits).</summary>
public sealed record NatGatewaySpec
{
    public int PublicIps { get; init; } = 1;
    public int PortsPerIp { get; init; } = 64512;
    /// <summary>Concurrent connections to one destination (IP, port, protocol) per public IP.</summary>
    public int MaxConnectionsPerDestination { get; init; } = 55000;
    public SimTime IdleTimeout { get; init; } = SimTime.FromSeconds(350);
    /// <summary>Time a released port stays unusable for the same destination.</summary>
    public SimTime PortReuseDelay { get; init; } = SimTime.Zero;
}
