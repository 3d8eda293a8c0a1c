using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A node's network interface: line rate and transmit buffer (drop-tail).</summary>
public sealed record NicSpec
{
    public DataRate Bandwidth { get; init; } = ClusterOptions.Default.NicBandwidth;
    public ByteSize Buffer { get; init; } = ClusterOptions.Default.NicBuffer;
}
