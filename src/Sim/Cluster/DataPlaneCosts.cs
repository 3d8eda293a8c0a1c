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
    /// kube-proxy generating one nat-table line in Go, which every sync does for every Service, partial or full
    /// (syncProxyRules writes unchanged chains to a discard buffer). Derived from kubernetes/kubernetes#138073: "Syncing
    /// iptables rules" → "Reloading service iptables data" took 6.6 s for 578,470 nat rules + 195,195 chains
    /// (773,665 lines) → 8.5 µs per line.
    /// </summary>
    public SimTime IptablesGeneratePerLine { get; init; } = SimTime.FromNanoseconds(8_500);

    /// <summary>
    /// iptables-legacy replacing the nat table, per line of the whole table: iptables-restore reads the table from the
    /// kernel and writes it back whole (IPT_SO_SET_REPLACE), so even a partial restore pays for every line. Derived
    /// from kubernetes/kubernetes#138073: a partial "iptables restore" of that 773,665-line table took 10.5 s → 13.6 µs.
    /// </summary>
    public SimTime IptablesRestorePerTableLine { get; init; } = SimTime.FromNanoseconds(13_600);

    /// <summary>
    /// iptables-restore parsing one line of its input. Derived: a full restore of ~696,000 lines took 12.8 s
    /// (kubernetes/kubernetes#96018) = 18.4 µs per line, less the 13.6 µs each line costs as part of the table → 4.8 µs.
    /// (#96018 ran iptables-nft, #138073 presumably legacy: the split is an estimate.)
    /// </summary>
    public SimTime IptablesRestorePerWrittenLine { get; init; } = SimTime.FromNanoseconds(4_800);

    /// <summary>
    /// iptables-save of the nat table per line, which kube-proxy runs to find stale chains (every sync, or once per
    /// syncPeriod in large cluster mode). Derived from kubernetes/kubernetes#138073: "iptables save" 3.8 s for 773,665 lines → 4.9 µs.
    /// </summary>
    public SimTime IptablesSavePerLine { get; init; } = SimTime.FromNanoseconds(4_900);

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

    /// <summary>
    /// IPVS mode reconciling one Service on every sync (every sync lists and checks every virtual server: at least two
    /// GetService netlink calls per ClusterIP Service, kubernetes/kubernetes#95881, not merged). Derived from
    /// kubernetes/kubernetes#84906: after its fix a sync took 730 ms with 1,500 Services with external IPs → 0.49 ms.
    /// </summary>
    public SimTime IpvsSyncPerService { get; init; } = SimTime.FromMicroseconds(490);

    /// <summary>
    /// IPVS mode reconciling one real server (endpoint) on every sync (a destination listed and compared). Estimate: no
    /// per-endpoint figure was found; kubernetes/kubernetes#73382 reports ≈ 20 s updates at ~4,000 endpoints on 1.12
    /// under node load (5 ms per endpoint), far above this.
    /// </summary>
    public SimTime IpvsSyncPerRealServer { get; init; } = SimTime.FromMicroseconds(20);

    /// <summary>
    /// nftables mode listing one object of its table (<c>nft --json list table</c>, ListAll), which it does on every
    /// sync, partial included (kubernetes/kubernetes#139513, v1.36.1). Derived from PR #126013: adding one Service at
    /// 10,000 Services × 2 endpoints took 141 ms with partial sync → 141 ms / 30,000 objects ≈ 4.7 µs.
    /// </summary>
    public SimTime NftablesListPerObject { get; init; } = SimTime.FromNanoseconds(4_700);

    /// <summary>
    /// nftables full sync, per endpoint. Fitted with <see cref="NftablesFullPerServiceSquared"/> to two full syncs:
    /// 5,006 Services / 250,011 endpoints in 13 min 15 s (kubernetes/kubernetes#135639) and 44,125 Services / 44,152
    /// endpoints in 16 min 44 s less 63 s of ListAll (#139513): 3.14 ms per endpoint.
    /// </summary>
    public SimTime NftablesFullPerEndpoint { get; init; } = SimTime.FromMicroseconds(3_140);

    /// <summary>
    /// nftables full sync, per Service squared: the super-linear term of the same two-point fit (#135639, #139513):
    /// 0.41 µs × Services².
    /// </summary>
    public SimTime NftablesFullPerServiceSquared { get; init; } = SimTime.FromNanoseconds(412);

    /// <summary>
    /// nftables partial transaction, per changed Service (its chains and map elements). Estimate: #126013's 141 ms for
    /// one new Service is taken as all listing (see <see cref="NftablesListPerObject"/>); 1 ms leaves room for the transaction.
    /// </summary>
    public SimTime NftablesPerChangedService { get; init; } = SimTime.FromMilliseconds(1);

    /// <summary>
    /// eBPF (Cilium) updating the service and backend maps for one changed Service: one bpf() map update per frontend
    /// and per backend, no table-wide work. Estimate: 50 µs per Service plus <see cref="EbpfPerBackend"/>.
    /// </summary>
    public SimTime EbpfPerChangedService { get; init; } = SimTime.FromMicroseconds(50);

    /// <summary>eBPF backend map update per endpoint of a changed Service. Estimate: ≈ 5 µs per bpf() syscall.</summary>
    public SimTime EbpfPerBackend { get; init; } = SimTime.FromMicroseconds(5);

    /// <summary>An L7 ingress proxy's CPU per request (parse, route, forward). Estimate: ~20,000 requests/s per core.</summary>
    public SimTime IngressPerRequest { get; init; } = SimTime.FromMicroseconds(50);

    /// <summary>
    /// CoreDNS CPU per query: one instance on a GCE n1-standard-2 answered 33,669 internal
    /// queries/s with both vCPUs pegged at ~1,900m (coredns/deployment kubernetes/Scaling_CoreDNS.md,
    /// "CPU and QPS"): 1.9 cores / 33,669 /s = 56.43 µs. The same document gives 33,667 queries/s
    /// server-side for external names (the NXDOMAIN answers of the search list and the forwarded
    /// name), so NXDOMAIN and external queries cost the same.
    /// </summary>
    public SimTime DnsPerQuery { get; init; } = SimTime.FromNanoseconds(56_430);

    private static readonly IReadOnlyDictionary<string, Func<DataPlaneCosts, SimTime, DataPlaneCosts>> Setters =
        new Dictionary<string, Func<DataPlaneCosts, SimTime, DataPlaneCosts>>(StringComparer.Ordinal)
        {
            ["iptablesPerRule"] = (c, v) => c with { IptablesPerRule = v },
            ["iptablesGeneratePerLine"] = (c, v) => c with { IptablesGeneratePerLine = v },
            ["iptablesRestorePerTableLine"] = (c, v) => c with { IptablesRestorePerTableLine = v },
            ["iptablesRestorePerWrittenLine"] = (c, v) => c with { IptablesRestorePerWrittenLine = v },
            ["iptablesSavePerLine"] = (c, v) => c with { IptablesSavePerLine = v },
            ["ipvsLookup"] = (c, v) => c with { IpvsLookup = v },
            ["nftablesLookup"] = (c, v) => c with { NftablesLookup = v },
            ["ebpfLookup"] = (c, v) => c with { EbpfLookup = v },
            ["conntrackLookup"] = (c, v) => c with { ConntrackLookup = v },
            ["conntrackInsert"] = (c, v) => c with { ConntrackInsert = v },
            ["forwardingPerPacket"] = (c, v) => c with { ForwardingPerPacket = v },
            ["loopbackPerPacket"] = (c, v) => c with { LoopbackPerPacket = v },
            ["vxlanPerPacket"] = (c, v) => c with { VxlanPerPacket = v },
            ["ipvsSyncPerService"] = (c, v) => c with { IpvsSyncPerService = v },
            ["ipvsSyncPerRealServer"] = (c, v) => c with { IpvsSyncPerRealServer = v },
            ["nftablesListPerObject"] = (c, v) => c with { NftablesListPerObject = v },
            ["nftablesFullPerEndpoint"] = (c, v) => c with { NftablesFullPerEndpoint = v },
            ["nftablesFullPerServiceSquared"] = (c, v) => c with { NftablesFullPerServiceSquared = v },
            ["nftablesPerChangedService"] = (c, v) => c with { NftablesPerChangedService = v },
            ["ebpfPerChangedService"] = (c, v) => c with { EbpfPerChangedService = v },
            ["ebpfPerBackend"] = (c, v) => c with { EbpfPerBackend = v },
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
