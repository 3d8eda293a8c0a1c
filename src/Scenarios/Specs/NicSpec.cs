using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>A node's network interface: line rate and transmit buffer (drop-tail).</summary>
public sealed record NicSpec
{
    public DataRate Bandwidth { get; init; } = DataRate.FromGigabitsPerSecond(25);
    public ByteSize Buffer { get; init; } = ByteSize.FromMebibytes(4);
}
