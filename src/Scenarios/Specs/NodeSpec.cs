namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One node's hardware.</summary>
public sealed record NodeSpec
{
    /// <summary>Cores available to packet processing.</summary>
    public int Cores { get; init; } = 8;
    /// <summary>The node's CPUs, which size kube-proxy's conntrack table; null means the library's default.</summary>
    public int? Cpus { get; init; }
    public NicSpec Nic { get; init; } = new();
}
