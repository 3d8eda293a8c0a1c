using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The Internet seen from the gateway: round-trip time, capacity, and how many distinct destinations are called.</summary>
public sealed record InternetSpec
{
    public SimTime Rtt { get; init; } = SimTime.FromMilliseconds(20);
    public DataRate Bandwidth { get; init; } = DataRate.FromGigabitsPerSecond(10);
    public int Destinations { get; init; } = 1;
}
