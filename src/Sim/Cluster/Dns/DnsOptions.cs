using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster.Dns;

/// <summary>Cluster DNS: CoreDNS pods behind the kube-dns Service, and the resolver's behaviour.</summary>
public sealed record DnsOptions
{
    /// <summary>CoreDNS replicas (spread over the cluster's pods).</summary>
    public int CoreDnsReplicas { get; init; } = 2;
    /// <summary>Cores each CoreDNS pod may use.</summary>
    public int CoresPerReplica { get; init; } = 1;
    /// <summary>
    /// Probability that the A and AAAA queries of one lookup, sent together over one UDP
    /// socket, race at conntrack insertion so that one is dropped (weave#3287,
    /// kubernetes#56903). Estimate: the race needs both packets inside one insertion window.
    /// </summary>
    public double RaceProbability { get; init; } = 0.001;
    /// <summary>The resolver's wait before re-sending an unanswered query: glibc's default 5 s (resolv.conf(5) <c>timeout:</c>; docs/model-reference.md, "DNS").</summary>
    public SimTime ResolverTimeout { get; init; } = SimTime.FromSeconds(5);
    /// <summary>Resolver attempts before a lookup fails (glibc default attempts:2).</summary>
    public int Attempts { get; init; } = 2;

    /// <summary>The problems with these options (empty when valid), named by property.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        if (CoreDnsReplicas < 1) problems.Add(new(nameof(CoreDnsReplicas), "at least 1", ClusterOptions.Text(CoreDnsReplicas)));
        if (CoresPerReplica < 1) problems.Add(new(nameof(CoresPerReplica), "at least 1", ClusterOptions.Text(CoresPerReplica)));
        if (!(RaceProbability is >= 0 and <= 1)) problems.Add(new(nameof(RaceProbability), "a probability between 0 and 1", ClusterOptions.Text(RaceProbability)));
        if (ResolverTimeout <= SimTime.Zero) problems.Add(new(nameof(ResolverTimeout), "a timeout greater than zero", ResolverTimeout.ToString()));
        if (Attempts < 1) problems.Add(new(nameof(Attempts), "at least 1", ClusterOptions.Text(Attempts)));
        return problems;
    }
}
