using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Cluster DNS: CoreDNS replicas and cost, the pods' resolver (ndots, search list), NodeLocal DNSCache, and the conntrack insertion race that loses UDP queries (then the resolver waits its timeout).</summary>
public sealed record DnsSpec
{
    public int CoreDnsReplicas { get; init; } = ClusterOptions.Default.Dns.CoreDnsReplicas;
    /// <summary>Probability that a query's parallel A/AAAA packets race in conntrack and one is dropped; null: as the nodes' kernel has it.</summary>
    public double? RaceProbability { get; init; } = ClusterOptions.Default.Dns.RaceProbability;
    public SimTime ResolverTimeout { get; init; } = ClusterOptions.Default.Dns.ResolverTimeout;
    /// <summary>CPU per query: the scenario's one key for <see cref="DataPlaneCosts.DnsPerQuery"/>.</summary>
    public SimTime CostPerQuery { get; init; } = ClusterOptions.Default.Costs.DnsPerQuery;
    public int Ndots { get; init; } = ClusterOptions.Default.Dns.Ndots;
    public IReadOnlyList<string> ExtraSearchDomains { get; init; } = ClusterOptions.Default.Dns.ExtraSearchDomains;
    public bool NodeLocalCache { get; init; } = ClusterOptions.Default.Dns.NodeLocalCache;
    public double NodeLocalCacheHitRatio { get; init; } = ClusterOptions.Default.Dns.NodeLocalCacheHitRatio;
}
