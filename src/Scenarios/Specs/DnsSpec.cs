using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Cluster DNS: CoreDNS replicas and cost, and the conntrack insertion race that loses UDP queries (then the resolver waits its timeout).</summary>
public sealed record DnsSpec
{
    public int CoreDnsReplicas { get; init; } = ClusterOptions.Default.Dns.CoreDnsReplicas;
    /// <summary>Probability that a query's parallel A/AAAA packets race in conntrack and one is dropped.</summary>
    public double RaceProbability { get; init; } = ClusterOptions.Default.Dns.RaceProbability;
    public SimTime ResolverTimeout { get; init; } = ClusterOptions.Default.Dns.ResolverTimeout;
    /// <summary>CPU per query: the scenario's one key for <see cref="DataPlaneCosts.DnsPerQuery"/>.</summary>
    public SimTime CostPerQuery { get; init; } = ClusterOptions.Default.Costs.DnsPerQuery;
}
