using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A node's network interface: line rate, transmit buffer (drop-tail), and GRO/TSO batch size.</summary>
public sealed record NicSpec
{
    public DataRate Bandwidth { get; init; } = DataRate.FromGigabitsPerSecond(25);
    public ByteSize Buffer { get; init; } = ByteSize.FromMebibytes(4);
    /// <summary>Bytes GRO/TSO merge into one buffer for the stack; null: the library's default (64 KiB).</summary>
    public ByteSize? OffloadBatch { get; init; }
}
