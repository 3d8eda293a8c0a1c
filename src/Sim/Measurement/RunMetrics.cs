namespace ClusterNetPerf.Sim.Measurement;

/// <summary>
/// What one run (one sweep point, one replication) measured inside its window after warm-up.
/// The property names map one to one onto the snake_case columns of <c>points.csv</c>
/// (docs/cli.md, "Outputs"); units are in the names. Latencies of connections that failed are
/// not in the latency figures: failures are counted in <see cref="ConnectionsFailed"/>. A latency
/// percentile of which nothing was measured (no such traffic, or nothing completed) is NaN, written
/// as an empty field, never a number that looks measured. Every figure is a function of the
/// scenario and seed alone (no wall-clock time), so two runs of the same scenario and seed give
/// equal records.
/// </summary>
public sealed record RunMetrics
{
    /// <summary>Connections whose first packet was sent in the window.</summary>
    public long ConnectionsOffered { get; init; }
    /// <summary>Connections that completed all their requests.</summary>
    public long ConnectionsCompleted { get; init; }
    /// <summary>Connections that gave up (SYN retries exhausted, no endpoint, no port).</summary>
    public long ConnectionsFailed { get; init; }

    /// <summary>First SYN (or datagram) sent → SYN-ACK (or first reply) received, retransmission waits included.</summary>
    public double SetupLatencyP50Us { get; init; }
    public double SetupLatencyP99Us { get; init; }
    public double SetupLatencyP999Us { get; init; }
    /// <summary>First request byte leaving the client → last response byte arriving.</summary>
    public double RequestLatencyP50Us { get; init; }
    public double RequestLatencyP99Us { get; init; }
    /// <summary>Application bytes delivered per second, in Gbit/s.</summary>
    public double ThroughputGbps { get; init; }

    public long DropsLinkBuffer { get; init; }
    public long DropsConntrackFull { get; init; }
    public long DropsSnatPorts { get; init; }
    public long DropsNatPortExhausted { get; init; }
    public long DropsNoEndpoint { get; init; }

    /// <summary>Highest occupancy any node's conntrack table reached.</summary>
    public long ConntrackEntriesPeak { get; init; }
    /// <summary>Time-average occupancy of the busiest node's conntrack table.</summary>
    public double ConntrackEntriesMean { get; init; }
    /// <summary>Highest number of gateway NAT ports in use at once.</summary>
    public long NatPortsInUsePeak { get; init; }
    /// <summary>Utilisation (0–1) of the busiest node's packet-processing cores.</summary>
    public double NodeCpuUtilizationMax { get; init; }
    /// <summary>Utilisation (0–1) of the busiest ingress controller pod's cores.</summary>
    public double IngressCpuUtilizationMax { get; init; }

    /// <summary>p99 of DNS lookup latency (A and AAAA both answered), in milliseconds.</summary>
    public double DnsLookupP99Ms { get; init; }
    /// <summary>DNS lookups that waited for the resolver's timeout (the conntrack race).</summary>
    public long DnsLookupsTimedOut { get; init; }

    /// <summary>Events the kernel processed (warm-up included).</summary>
    public long Events { get; init; }

    /// <summary>Non-assured entries the packet path's early_drop deleted to admit new flows, over all nodes.</summary>
    public long ConntrackEarlyDrops { get; init; }
    /// <summary>Entries the conntrack GC worker killed to bring full tables below 95 %, over all nodes.</summary>
    public long ConntrackGcEvictions { get; init; }

    /// <summary>Flows dropped because an eBPF map was full (a CT or NAT hash map, or a Service left out of the LB maps).</summary>
    public long DropsEbpfMapFull { get; init; }
    /// <summary>Highest number of entries in the busiest node's eBPF CT maps (TCP and non-TCP together).</summary>
    public long EbpfCtEntriesPeak { get; init; }
    /// <summary>Highest number of entries in the busiest node's eBPF NAT map (two per SNAT mapping).</summary>
    public long EbpfNatEntriesPeak { get; init; }
    /// <summary>eBPF CT entries LRU evicted to make room, over all nodes.</summary>
    public long EbpfCtEvictions { get; init; }
    /// <summary>eBPF NAT entries LRU evicted to make room, over all nodes.</summary>
    public long EbpfNatEvictions { get; init; }
    /// <summary>Entries of the eBPF services LB map (Σ endpoints × ports over the Services programmed).</summary>
    public long LbMapEntries { get; init; }
    /// <summary>
    /// Network programming latency (kube-proxy's network_programming_duration_seconds, ClusterLoader2's
    /// NetworkProgrammingLatency): an endpoint change at the API server → a node's rules in effect, over nodes and
    /// changes made in the window; SLO p99 ≤ 30 s (sig-scalability network_programming_latency.md).
    /// </summary>
    public double NetworkProgrammingLatencyP50Ms { get; init; }
    public double NetworkProgrammingLatencyP90Ms { get; init; }
    public double NetworkProgrammingLatencyP99Ms { get; init; }
    /// <summary>Time one sync took (kubeproxy_sync_proxy_rules_duration_seconds), over nodes and syncs started in the window.</summary>
    public double RuleSyncDurationP50Ms { get; init; }
    public double RuleSyncDurationP99Ms { get; init; }
    /// <summary>Syncs started in the window, over all nodes, that rewrote every chain.</summary>
    public long FullSyncs { get; init; }
    /// <summary>Syncs started in the window, over all nodes, that rewrote only the changed Services.</summary>
    public long PartialSyncs { get; init; }
    /// <summary>The largest nat table of any node (kubeproxy_sync_proxy_rules_iptables_total{table="nat"}); 0 outside iptables mode.</summary>
    public long IptablesNatRules { get; init; }
    /// <summary>The busiest node's kube-proxy: share (0–1) of one core spent syncing in the window.</summary>
    public double KubeProxySyncCpuUtilizationMax { get; init; }
    /// <summary>The most MASQUERADE ports one node held at once toward one destination (warm-up included), to hold against the SNAT port range.</summary>
    public long SnatPortsPerDestinationPeak { get; init; }
    /// <summary>
    /// The most gateway ports held at once toward one destination, in use or in their reuse delay, by one
    /// allocation unit (a public IP with a shared pool, a VM's block with per-VM blocks).
    /// </summary>
    public long NatPortsPerDestinationPeak { get; init; }
    /// <summary>Utilisation (0–1) of the busiest link (node NICs, rack uplinks, the Internet border).</summary>
    public double LinkUtilizationMax { get; init; }
    /// <summary>Utilisation (0–1) of the busiest CoreDNS replica's cores.</summary>
    public double CorednsCpuUtilizationMax { get; init; }
    /// <summary>Gateway mappings made in the window (SYNs the gateway let through); with drops_nat_port_exhausted, the attempts it saw.</summary>
    public long NatAllocations { get; init; }
    /// <summary>Mean queries that reached CoreDNS per DNS lookup that ended (the search list's NXDOMAIN pairs included, cache hits not).</summary>
    public double DnsQueriesPerLookup { get; init; }
}
