using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// Every default cost of the data plane, in one place, each with its source
/// (docs/model-reference.md, "Data-plane costs") or marked as an estimate. Scenario files
/// override them by name under <c>cluster.costs</c> (e.g. <c>iptablesPerRule: 30ns</c>).
/// </summary>
public sealed record DataPlaneCosts
{
    /// <summary>
    /// Evaluating one iptables rule. Derived from SystemTap timing of ipt_do_table, 4,500 rules
    /// in 410,894–1,032,564 cycles: 30–75 ns per rule at 3 GHz (unix.stackexchange 433054),
    /// and from Tigera's "35% of a core at 10,000 services, 1,000 connections/s" with 20,000
    /// rules walked per connection: 17.5 ns. A value near 20 ns sits between the two.
    /// </summary>
    public SimTime IptablesPerRule { get; init; } = SimTime.FromNanoseconds(20);

    /// <summary>
    /// iptables-restore time per ruleset line: 12.8 s for ~696,000 lines → 18.4 µs
    /// (derived, kubernetes/kubernetes#96018).
    /// </summary>
    public SimTime IptablesRestorePerLine { get; init; } = SimTime.FromNanoseconds(18_400);

    /// <summary>
    /// IPVS virtual-service hash lookup and scheduling for a new connection. Estimate: no
    /// per-lookup figure was found; the Kubernetes IPVS blog (2018-07-09) gives only O(1).
    /// </summary>
    public SimTime IpvsLookup { get; init; } = SimTime.FromNanoseconds(1_500);

    /// <summary>
    /// nftables verdict-map lookup for a new connection. Estimate, set a little below IPVS
    /// because the nftables blog (2025-02-28) finds nftables slightly faster than IPVS and its
    /// p50 at 5,000–10,000 services near iptables' p01.
    /// </summary>
    public SimTime NftablesLookup { get; init; } = SimTime.FromNanoseconds(1_000);

    /// <summary>eBPF service map lookup (socket or tc layer) for a new connection. Estimate.</summary>
    public SimTime EbpfLookup { get; init; } = SimTime.FromNanoseconds(500);

    /// <summary>A conntrack hash lookup, per packet crossing a node's netfilter. Estimate.</summary>
    public SimTime ConntrackLookup { get; init; } = SimTime.FromNanoseconds(100);

    /// <summary>Creating a conntrack entry (allocation, two hash insertions). Estimate.</summary>
    public SimTime ConntrackInsert { get; init; } = SimTime.FromNanoseconds(1_000);

    /// <summary>
    /// Forwarding one packet through a node: veth, bridge or route lookup, netfilter hooks
    /// with no rules to walk. Estimate: no published per-packet veth cost was found; 1.5 µs
    /// is about 650,000 packets/s per core.
    /// </summary>
    public SimTime ForwardingPerPacket { get; init; } = SimTime.FromNanoseconds(1_500);

    /// <summary>One packet over loopback between containers of one pod (no veth, no bridge). Estimate.</summary>
    public SimTime LoopbackPerPacket { get; init; } = SimTime.FromNanoseconds(300);

    /// <summary>VXLAN encapsulation or decapsulation of one packet. Estimate.</summary>
    public SimTime VxlanPerPacket { get; init; } = SimTime.FromNanoseconds(1_000);

    /// <summary>Applying one change in IPVS mode (netlink updates); does not grow with services (Huawei, KubeCon EU 2017). Estimate of the constant.</summary>
    public SimTime IpvsSync { get; init; } = SimTime.FromMilliseconds(10);

    /// <summary>Applying one partial nftables transaction. Estimate; full syncs at very large scale are far slower (kubernetes#135639).</summary>
    public SimTime NftablesSync { get; init; } = SimTime.FromMilliseconds(10);

    /// <summary>Updating eBPF service maps for one change. Estimate.</summary>
    public SimTime EbpfSync { get; init; } = SimTime.FromMilliseconds(1);

    /// <summary>An L7 ingress proxy's CPU per request (parse, route, forward). Estimate: ~20,000 requests/s per core.</summary>
    public SimTime IngressPerRequest { get; init; } = SimTime.FromMicroseconds(50);

    /// <summary>CoreDNS CPU per query answered from cache. Estimate: ~50,000 queries/s per core.</summary>
    public SimTime DnsPerQuery { get; init; } = SimTime.FromMicroseconds(20);

    private static readonly IReadOnlyDictionary<string, Func<DataPlaneCosts, SimTime, DataPlaneCosts>> Setters =
        new Dictionary<string, Func<DataPlaneCosts, SimTime, DataPlaneCosts>>(StringComparer.Ordinal)
        {
            ["iptablesPerRule"] = (c, v) => c with { IptablesPerRule = v },
            ["iptablesRestorePerLine"] = (c, v) => c with { IptablesRestorePerLine = v },
            ["ipvsLookup"] = (c, v) => c with { IpvsLookup = v },
            ["nftablesLookup"] = (c, v) => c with { NftablesLookup = v },
            ["ebpfLookup"] = (c, v) => c with { EbpfLookup = v },
            ["conntrackLookup"] = (c, v) => c with { ConntrackLookup = v },
            ["conntrackInsert"] = (c, v) => c with { ConntrackInsert = v },
            ["forwardingPerPacket"] = (c, v) => c with { ForwardingPerPacket = v },
            ["loopbackPerPacket"] = (c, v) => c with { LoopbackPerPacket = v },
            ["vxlanPerPacket"] = (c, v) => c with { VxlanPerPacket = v },
            ["ipvsSync"] = (c, v) => c with { IpvsSync = v },
            ["nftablesSync"] = (c, v) => c with { NftablesSync = v },
            ["ebpfSync"] = (c, v) => c with { EbpfSync = v },
            ["ingressPerRequest"] = (c, v) => c with { IngressPerRequest = v },
            ["dnsPerQuery"] = (c, v) => c with { DnsPerQuery = v },
        };

    /// <summary>The names accepted under <c>cluster.costs</c>.</summary>
    public static IReadOnlyCollection<string> ParameterNames => (IReadOnlyCollection<string>)Setters.Keys;

    /// <summary>These costs with the named ones replaced.</summary>
    /// <exception cref="ArgumentException">A name is not in <see cref="ParameterNames"/>.</exception>
    public DataPlaneCosts WithOverrides(IEnumerable<KeyValuePair<string, SimTime>> overrides)
    {
        DataPlaneCosts costs = this;
        foreach ((string name, SimTime value) in overrides)
        {
            if (!Setters.TryGetValue(name, out var set))
                throw new ArgumentException($"Unknown cost parameter '{name}'; known: {string.Join(", ", ParameterNames)}", nameof(overrides));
            costs = set(costs, value);
        }
        return costs;
    }
}
