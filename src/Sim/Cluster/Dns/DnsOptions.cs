using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;

namespace ClusterNetPerf.Sim.Cluster.Dns;

/// <summary>Cluster DNS: CoreDNS pods behind the kube-dns Service, NodeLocal DNSCache, and the pods' resolver.</summary>
public sealed record DnsOptions
{
    /// <summary>
    /// The race probability used on kernels without UDP clash resolution. Estimate: the race
    /// needs both first packets of a socket inside one insertion window.
    /// </summary>
    public const double RaceProbabilityWithoutClashResolution = 0.001;

    /// <summary>CoreDNS replicas (spread over the cluster's pods).</summary>
    public int CoreDnsReplicas { get; init; } = 2;
    /// <summary>Cores each CoreDNS pod may use.</summary>
    public int CoresPerReplica { get; init; } = 1;
    /// <summary>
    /// Probability that the A and AAAA queries of one socket, sent together, race at conntrack
    /// insertion so that one is dropped (weave#3287, kubernetes#56903). Null: as the nodes'
    /// kernel has it (<see cref="EffectiveRaceProbability"/>).
    /// </summary>
    public double? RaceProbability { get; init; }
    /// <summary>The resolver's wait before re-sending an unanswered query: glibc's default 5 s (resolv.conf(5) <c>timeout:</c>; docs/model-reference.md, "DNS").</summary>
    public SimTime ResolverTimeout { get; init; } = SimTime.FromSeconds(5);
    /// <summary>Resolver attempts before a lookup fails (glibc default attempts:2).</summary>
    public int Attempts { get; init; } = 2;
    /// <summary>
    /// The resolver's <c>options ndots</c>: 5, as the kubelet writes it for ClusterFirst pods
    /// (kubernetes/website content/en/docs/concepts/services-networking/dns-pod-service.md).
    /// </summary>
    public int Ndots { get; init; } = 5;
    /// <summary>
    /// Search domains after the three Kubernetes ones (the node's own, which the kubelet
    /// appends from the host's resolv.conf); external names are tried under each.
    /// </summary>
    public IReadOnlyList<string> ExtraSearchDomains { get; init; } = [];
    /// <summary>
    /// Dots in the external names pods look up. Estimate: 2, a name such as
    /// <c>api.example.com</c> (below ndots, so the whole search list is tried first).
    /// </summary>
    public int ExternalNameDots { get; init; } = 2;
    /// <summary>
    /// NodeLocal DNSCache: a caching CoreDNS on each node (hostNetwork, listening on the
    /// link-local 169.254.20.10) that pods reach without DNAT, with NOTRACK rules so their
    /// queries make no conntrack entry; misses in the cluster's zone go to kube-dns over TCP
    /// (<c>force_tcp</c>) (kubernetes/kubernetes cluster/addons/dns/nodelocaldns/README.md and
    /// nodelocaldns.yaml; kubernetes/website content/en/docs/tasks/administer-cluster/nodelocaldns.md).
    /// </summary>
    public bool NodeLocalCache { get; init; }
    /// <summary>
    /// Fraction of queries the node-local cache answers itself. Estimate: 0.8 — its Corefile
    /// caches answers 30 s and denials 5 s (9,984 entries each), and a pod's names repeat
    /// within that; no published fleet-wide ratio was found.
    /// </summary>
    public double NodeLocalCacheHitRatio { get; init; } = 0.8;
    /// <summary>Cores the node-local cache may use on each node. Estimate.</summary>
    public int NodeLocalCacheCores { get; init; } = 1;

    /// <summary>
    /// The race probability on <paramref name="kernel"/>: the configured one, or none on a kernel
    /// that resolves UDP clashes (<see cref="KernelVersion.ResolvesUdpClashes"/>), else
    /// <see cref="RaceProbabilityWithoutClashResolution"/>.
    /// </summary>
    public double EffectiveRaceProbability(KernelVersion kernel) =>
        RaceProbability ?? (kernel.ResolvesUdpClashes ? 0 : RaceProbabilityWithoutClashResolution);

    /// <summary>The resolver's search domains: the three Kubernetes ones and the extra ones.</summary>
    public int SearchDomains => SearchPlan.ClusterSearchDomains + ExtraSearchDomains.Count;

    /// <summary>The problems with these options (empty when valid), named by property.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        if (CoreDnsReplicas < 1) problems.Add(new(nameof(CoreDnsReplicas), "at least 1", ClusterOptions.Text(CoreDnsReplicas)));
        if (CoresPerReplica < 1) problems.Add(new(nameof(CoresPerReplica), "at least 1", ClusterOptions.Text(CoresPerReplica)));
        if (RaceProbability is double race && !(race is >= 0 and <= 1))
            problems.Add(new(nameof(RaceProbability), "a probability between 0 and 1", ClusterOptions.Text(race)));
        if (ResolverTimeout <= SimTime.Zero) problems.Add(new(nameof(ResolverTimeout), "a timeout greater than zero", ResolverTimeout.ToString()));
        if (Attempts < 1) problems.Add(new(nameof(Attempts), "at least 1", ClusterOptions.Text(Attempts)));
        // glibc caps ndots at RES_MAXNDOTS (15) (resolv/resolv.h).
        if (Ndots is < 0 or > 15) problems.Add(new(nameof(Ndots), "between 0 and 15", ClusterOptions.Text(Ndots)));
        // Kubernetes admits at most 32 search domains in a pod's DNS config (MaxDNSSearchPaths, expanded DNS configuration, GA in 1.28).
        if (ExtraSearchDomains.Count > 32 - SearchPlan.ClusterSearchDomains)
            problems.Add(new(nameof(ExtraSearchDomains), $"at most {32 - SearchPlan.ClusterSearchDomains} domains", ClusterOptions.Text(ExtraSearchDomains.Count)));
        if (ExternalNameDots < 0) problems.Add(new(nameof(ExternalNameDots), "at least 0", ClusterOptions.Text(ExternalNameDots)));
        if (!(NodeLocalCacheHitRatio is >= 0 and <= 1))
            problems.Add(new(nameof(NodeLocalCacheHitRatio), "a fraction between 0 and 1", ClusterOptions.Text(NodeLocalCacheHitRatio)));
        if (NodeLocalCacheCores < 1) problems.Add(new(nameof(NodeLocalCacheCores), "at least 1", ClusterOptions.Text(NodeLocalCacheCores)));
        return problems;
    }
}
