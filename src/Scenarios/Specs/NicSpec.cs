using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A node's network interface: line rate, transmit buffer (drop-tail), and GRO/TSO batch size.</summary>
public sealed record NicSpec
{
    public DataRate Bandwidth { get; init; } = ClusterOptions.Default.NicBandwidth;
    public ByteSize Buffer { get; init; } = ClusterOptions.Default.NicBuffer;
    /// <summary>Bytes GRO/TSO merge into one buffer for the stack.</summary>
    public ByteSize OffloadBatch { get; init; } = ClusterOptions.Default.OffloadBatch;
}
