using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The Internet seen from the gateway: round-trip time, capacity, and how many distinct destinations are called.</summary>
public sealed record InternetSpec
{
    public SimTime Rtt { get; init; } = ClusterOptions.Default.Internet.Rtt;
    public DataRate Bandwidth { get; init; } = ClusterOptions.Default.Internet.Bandwidth;
    public int Destinations { get; init; } = ClusterOptions.Default.Internet.Destinations;
}
