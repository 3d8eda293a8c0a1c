using ClusterNetPerf.Sim.Cluster;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One node's hardware.</summary>
public sealed record NodeSpec
{
    /// <summary>Cores available to packet processing.</summary>
    public int Cores { get; init; } = ClusterOptions.Default.CoresPerNode;
    public NicSpec Nic { get; init; } = new();
}
