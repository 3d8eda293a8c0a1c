using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The network between nodes: per-rack uplink rate and one-way latency.</summary>
public sealed record FabricSpec
{
    public DataRate Bandwidth { get; init; } = DataRate.FromGigabitsPerSecond(100);
    public SimTime Latency { get; init; } = SimTime.FromMicroseconds(10);
}
