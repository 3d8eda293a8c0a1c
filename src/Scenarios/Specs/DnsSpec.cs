using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Cluster DNS: CoreDNS replicas and cost, and the conntrack insertion race that loses UDP queries (then the resolver waits its timeout).</summary>
public sealed record DnsSpec
{
    public int CoreDnsReplicas { get; init; } = 2;
    /// <summary>Probability that a query's parallel A/AAAA packets race in conntrack and one is dropped.</summary>
    public double RaceProbability { get; init; } = 0.001;
    public SimTime ResolverTimeout { get; init; } = SimTime.FromSeconds(5);
    public SimTime CostPerQuery { get; init; } = SimTime.FromMicroseconds(20);
}
