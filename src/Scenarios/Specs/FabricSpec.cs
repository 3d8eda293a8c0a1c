using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The network between nodes: per-rack uplink rate and one-way latency.</summary>
public sealed record FabricSpec
{
    public DataRate Bandwidth { get; init; } = ClusterOptions.Default.FabricBandwidth;
    public SimTime Latency { get; init; } = ClusterOptions.Default.FabricLatency;
}
