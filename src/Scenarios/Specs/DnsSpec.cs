using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Cluster DNS: CoreDNS replicas and cost, the pods' resolver (ndots, search list), NodeLocal DNSCache, and the conntrack insertion race that loses UDP queries (then the resolver waits its timeout).</summary>
public sealed record DnsSpec
{
    private static readonly DnsOptions Library = new();

    public int CoreDnsReplicas { get; init; } = Library.CoreDnsReplicas;
    /// <summary>Probability that a query's parallel A/AAAA packets race in conntrack and one is dropped; null: as the kernel has it.</summary>
    public double? RaceProbability { get; init; } = Library.RaceProbability;
    public SimTime ResolverTimeout { get; init; } = Library.ResolverTimeout;
    /// <summary>CoreDNS CPU per query; null: the library's cost.</summary>
    public SimTime? CostPerQuery { get; init; }
    public int Ndots { get; init; } = Library.Ndots;
    public IReadOnlyList<string> ExtraSearchDomains { get; init; } = Library.ExtraSearchDomains;
    public bool NodeLocalCache { get; init; } = Library.NodeLocalCache;
    public double NodeLocalCacheHitRatio { get; init; } = Library.NodeLocalCacheHitRatio;
}
