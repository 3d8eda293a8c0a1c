using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// Everything that defines a cluster's data plane, with defaults. Built in code (tests,
/// notebooks) or from a scenario file by the Scenarios program.
/// </summary>
public sealed record ClusterOptions
{
    public int Nodes { get; init; } = 3;
    public int PodsPerNode { get; init; } = 10;
    /// <summary>The cluster CIDR pods take their IPs from.</summary>
    public Ipv4Cidr PodCidr { get; init; } = Ipv4Cidr.Parse("10.244.0.0/16");
    /// <summary>Prefix length of each node's pod CIDR (kube-controller-manager's default /24).</summary>
    public int NodeCidrPrefix { get; init; } = 24;
    /// <summary>Racks the nodes are spread over (round robin); more than one adds a spine hop between racks.</summary>
    public int Racks { get; init; } = 1;

    /// <summary>Cores processing packets on each node.</summary>
    public int CoresPerNode { get; init; } = 8;
    /// <summary>
    /// The node's CPUs as kube-proxy counts them (detectNumCPU in cmd/kube-proxy/app), which size
    /// its conntrack table; packet processing may use fewer (<see cref="CoresPerNode"/>).
    /// Default: an 8-vCPU node (estimate, a common general-purpose worker size).
    /// </summary>
    public int NodeCpus { get; init; } = 8;
    /// <summary>The node's Linux release: selects conntrack GC behaviour (<see cref="ConntrackTable"/>).</summary>
    public KernelVersion Kernel { get; init; } = KernelVersion.Default;
    public DataRate NicBandwidth { get; init; } = DataRate.FromGigabitsPerSecond(25);
    public ByteSize NicBuffer { get; init; } = ByteSize.FromMebibytes(4);
    /// <summary>
    /// Bytes of a flow's back-to-back segments that GRO (receive) and TSO/GSO (send) hand the
    /// stack as one buffer, so that per-packet work is paid once per batch: 64 KiB, the
    /// kernel's default gro_max_size and gso_max_size (GRO_LEGACY_MAX_SIZE and
    /// GSO_LEGACY_MAX_SIZE, 65,536, torvalds/linux include/linux/netdevice.h since 5.19;
    /// GRO_MAX_SIZE and GSO_MAX_SIZE before). Zero: no batching, work per wire packet.
    /// </summary>
    public ByteSize OffloadBatch { get; init; } = ByteSize.FromKibibytes(64);
    /// <summary>Bandwidth of each rack's uplink to the spine (used when Racks &gt; 1).</summary>
    public DataRate FabricBandwidth { get; init; } = DataRate.FromGigabitsPerSecond(100);
    /// <summary>One-way latency through the rack switch (node to node in one rack).</summary>
    public SimTime FabricLatency { get; init; } = SimTime.FromMicroseconds(10);

    public CniMode Cni { get; init; } = CniMode.Routed;
    public int Mtu { get; init; } = 1500;

    public KubeProxyMode ProxyMode { get; init; } = KubeProxyMode.Iptables;
    public IpvsScheduler IpvsScheduler { get; init; } = IpvsScheduler.RoundRobin;
    /// <summary>--iptables-min-sync-period: the least time between two syncs (default 1 s).</summary>
    public SimTime MinSyncPeriod { get; init; } = SimTime.FromSeconds(1);
    /// <summary>
    /// --iptables-sync-period (default 30 s): the canary check, the retry after a failed sync, and, in large cluster
    /// mode, how often stale chains are looked for; IPVS mode's periodic reconcile. Not a full-resync period (issue #133767).
    /// </summary>
    public SimTime SyncPeriod { get; init; } = SimTime.FromSeconds(30);
    /// <summary>The kube-proxy release whose sync behaviour is modelled (kubeProxy.version).</summary>
    public KubeProxyRelease KubeProxyRelease { get; init; } = KubeProxyRelease.Current;
    /// <summary>Mean delay from an API change to a node's kube-proxy seeing it (exponential per node). Estimate.</summary>
    public SimTime WatchDelay { get; init; } = SimTime.FromMilliseconds(100);

    /// <summary>nf_conntrack_max; null means kube-proxy's rule max(min, maxPerCore × node CPUs).</summary>
    public long? ConntrackMax { get; init; }
    /// <summary>kube-proxy conntrack.maxPerCore (default 32,768).</summary>
    public long ConntrackMaxPerCore { get; init; } = 32_768;
    /// <summary>kube-proxy conntrack.min (default 131,072).</summary>
    public long ConntrackMin { get; init; } = 131_072;
    /// <summary>nf_conntrack_buckets set by hand; null means the kernel's default as kube-proxy leaves it (<see cref="EffectiveConntrackBuckets"/>).</summary>
    public long? ConntrackBuckets { get; init; }
    public ConntrackTimeouts ConntrackTimeouts { get; init; } = new();
    /// <summary>Cilium's maps, their sizes and CT lifetimes, used in eBPF mode.</summary>
    public EbpfOptions Ebpf { get; init; } = new();

    public DataPlaneCosts Costs { get; init; } = new();

    public int Services { get; init; } = 20;
    public int EndpointsPerService { get; init; } = 3;
    public ushort ServicePort { get; init; } = 80;

    /// <summary>Pod restarts per second across the cluster (each comes back with a new IP).</summary>
    public double PodRestartsPerSecond { get; init; }
    /// <summary>Time a restarted pod is away before it is ready with its new IP.</summary>
    public SimTime RestartDelay { get; init; } = SimTime.FromSeconds(5);

    /// <summary>
    /// Source ports MASQUERADE may choose from. kube-proxy's rule has no --to-ports, and then
    /// the kernel searches 1024–65535 for an original port ≥ 1024 (nf_nat_core.c,
    /// nf_nat_l4proto_unique_tuple), not ip_local_port_range (32768–60999), which is only
    /// where the pods' own sockets take their ports.
    /// </summary>
    public PortRange SnatPortRange { get; init; } = PortRange.Unprivileged;
    /// <summary>Whether MASQUERADE uses --random-fully (kube-proxy sets it where iptables supports it).</summary>
    public bool SnatRandomFully { get; init; } = true;
    /// <summary>The Internet gateway's NAT (default: one AWS NAT Gateway IP).</summary>
    public NatGatewayOptions NatGateway { get; init; } = NatGatewayOptions.Aws(IPv4Address.Parse("192.0.2.1"));

    /// <summary>The Internet beyond the border.</summary>
    public InternetOptions Internet { get; init; } = new();

    /// <summary>The LoadBalancer Service and ingress controller.</summary>
    public IngressOptions Ingress { get; init; } = new();

    /// <summary>Cluster DNS (CoreDNS behind kube-dns) and the resolver.</summary>
    public DnsOptions Dns { get; init; } = new();

    /// <summary>How the stateful tables begin (default: empty, filled by the warm-up).</summary>
    public WarmStartMode WarmStart { get; init; } = WarmStartMode.None;

    /// <summary>
    /// The conntrack table size in force: explicit, or kube-proxy's rule max(min, maxPerCore ×
    /// node CPUs) (getConntrackMax in kubernetes cmd/kube-proxy/app/conntrack.go, CPUs from detectNumCPU).
    /// </summary>
    public long EffectiveConntrackMax => ConntrackMax ?? Math.Max(ConntrackMin, ConntrackMaxPerCore * NodeCpus);

    /// <summary>
    /// nf_conntrack_buckets: the kernel's default, 262,144 on a node with more than 4 GiB
    /// (nf_conntrack_init_start since 5.15, commit d532bcd0b269; Documentation/networking/nf_conntrack-sysctl.rst),
    /// unless kube-proxy raises hashsize to max / 4 (realConntrackConfigurer.SetMax in
    /// cmd/kube-proxy/app/conntrack.go writes it only when the current hashsize is below max / 4).
    /// </summary>
    public long EffectiveConntrackBuckets => ConntrackBuckets ?? Math.Max(KernelDefaultConntrackBuckets, EffectiveConntrackMax / 4);

    /// <summary>The kernel's nf_conntrack_buckets on a 64-bit node with more than 4 GiB (5.15 and later).</summary>
    public const long KernelDefaultConntrackBuckets = 262_144;

    /// <summary>The options as built by <c>new ClusterOptions()</c>: the one home of every default a front end shows.</summary>
    public static ClusterOptions Default { get; } = new();

    /// <summary>The smallest MTU an IPv4 host must accept (RFC 791), before the CNI's encapsulation.</summary>
    public const int MinMtu = 576;

    /// <summary>The largest IPv4 packet.</summary>
    public const int MaxMtu = 65_535;

    /// <summary>The longest node CIDR prefix: a /30 still holds one pod beside network, gateway and broadcast.</summary>
    public const int MaxNodeCidrPrefix = 30;

    /// <summary>Pods in the cluster.</summary>
    public long TotalPods => (long)Nodes * PodsPerNode;

    /// <summary>
    /// Checks the options describe a buildable cluster; returns the problems (empty when valid),
    /// each naming the option by its property path (<c>Nodes</c>, <c>Dns.CoreDnsReplicas</c>).
    /// </summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        void Check(bool valid, string option, string expected, object found)
        {
            if (!valid) problems.Add(new OptionProblem(option, expected, Text(found)));
        }
        Check(Nodes >= 1, nameof(Nodes), "at least 1", Nodes);
        Check(PodsPerNode >= 1, nameof(PodsPerNode), "at least 1", PodsPerNode);
        Check(CoresPerNode >= 1, nameof(CoresPerNode), "at least 1", CoresPerNode);
        Check(NodeCpus >= 1, nameof(NodeCpus), "at least 1", NodeCpus);
        Check(Kernel.CompareTo(KernelVersion.OldestModelled) >= 0, nameof(Kernel), $"{KernelVersion.OldestModelled} or later", Kernel);
        Check(Racks >= 1 && Racks <= Math.Max(1, Nodes), nameof(Racks), $"between 1 and the node count ({Text(Nodes)})", Racks);
        Check(NicBuffer.Bytes > 0, nameof(NicBuffer), "a buffer greater than zero", NicBuffer);
        Check(OffloadBatch.Bytes >= 0, nameof(OffloadBatch), "a size of zero or more", OffloadBatch);
        Check(Mtu >= MinMtu + CniOverheadBytes && Mtu <= MaxMtu, nameof(Mtu),
            $"an MTU between {Text(MinMtu + CniOverheadBytes)} ({Text(MinMtu)} plus {Text(CniOverheadBytes)} of encapsulation) and {Text(MaxMtu)}", Mtu);
        CheckAddressSpace(problems);
        Check(SyncPeriod > SimTime.Zero, nameof(SyncPeriod), "a period greater than zero", SyncPeriod);
        Check(MinSyncPeriod >= SimTime.Zero, nameof(MinSyncPeriod), "a duration of zero or more", MinSyncPeriod);
        Check(WatchDelay >= SimTime.Zero, nameof(WatchDelay), "a duration of zero or more", WatchDelay);
        Check(ConntrackMax is null or >= 1, nameof(ConntrackMax), "at least 1", ConntrackMax ?? 0);
        Check(ConntrackMaxPerCore >= 0, nameof(ConntrackMaxPerCore), "at least 0", ConntrackMaxPerCore);
        Check(ConntrackMin >= 0, nameof(ConntrackMin), "at least 0", ConntrackMin);
        Check(ConntrackBuckets is null or >= 1, nameof(ConntrackBuckets), "at least 1", ConntrackBuckets ?? 0);
        Check(EffectiveConntrackMax >= 1, nameof(ConntrackMin), "a table of at least 1 entry from max(min, maxPerCore × cores)", EffectiveConntrackMax);
        Check(ConntrackTimeouts.TcpEstablished > SimTime.Zero, "ConntrackTimeouts.TcpEstablished", "a timeout greater than zero", ConntrackTimeouts.TcpEstablished);
        Check(ConntrackTimeouts.TcpTimeWait > SimTime.Zero, "ConntrackTimeouts.TcpTimeWait", "a timeout greater than zero", ConntrackTimeouts.TcpTimeWait);
        Check(ConntrackTimeouts.Udp > SimTime.Zero, "ConntrackTimeouts.Udp", "a timeout greater than zero", ConntrackTimeouts.Udp);
        Check(Services >= 0, nameof(Services), "at least 0", Services);
        Check(EndpointsPerService >= 1, nameof(EndpointsPerService), "at least 1", EndpointsPerService);
        Check(Services == 0 || Nodes < 1 || PodsPerNode < 1 || EndpointsPerService <= TotalPods, nameof(EndpointsPerService),
            $"at most the pods that can back a Service ({Text(TotalPods)} = nodes × podsPerNode)", EndpointsPerService);
        Check(PodRestartsPerSecond >= 0 && double.IsFinite(PodRestartsPerSecond), nameof(PodRestartsPerSecond), "a finite rate of at least 0", PodRestartsPerSecond);
        Check(RestartDelay >= SimTime.Zero, nameof(RestartDelay), "a duration of zero or more", RestartDelay);
        problems.AddRange(NatGateway.Validate().Select(problem => problem.Under(nameof(NatGateway) + ".")));
        problems.AddRange(Internet.Validate().Select(problem => problem.Under(nameof(Internet) + ".")));
        problems.AddRange(Ingress.Validate().Select(problem => problem.Under(nameof(Ingress) + ".")));
        problems.AddRange(Dns.Validate().Select(problem => problem.Under(nameof(Dns) + ".")));
        if (ProxyMode == KubeProxyMode.Ebpf) problems.AddRange(Ebpf.Validate().Select(problem => problem.Under(nameof(Ebpf) + ".")));
        Check(Enum.IsDefined(WarmStart), nameof(WarmStart), "none or stationary", WarmStart);
        Check(Ingress.BackendService < Math.Max(1, Services), "Ingress.BackendService", $"an existing Service (fewer than {Text(Math.Max(1, Services))})", Ingress.BackendService);
        return problems;
    }

    /// <summary>
    /// The address rule: the pod CIDR holds <see cref="Nodes"/> node blocks of prefix <see cref="NodeCidrPrefix"/>,
    /// and each node block holds <see cref="PodsPerNode"/> pods in its <see cref="PodAddressing.UsableAddresses"/>.
    /// </summary>
    private void CheckAddressSpace(List<OptionProblem> problems)
    {
        if (NodeCidrPrefix < PodCidr.PrefixLength || NodeCidrPrefix > MaxNodeCidrPrefix)
        {
            problems.Add(new OptionProblem(nameof(NodeCidrPrefix), $"a prefix between the pod CIDR's /{Text(PodCidr.PrefixLength)} and /{Text(MaxNodeCidrPrefix)}", $"/{Text(NodeCidrPrefix)}"));
            return;
        }
        long nodeBlocks = 1L << (NodeCidrPrefix - PodCidr.PrefixLength);
        if (Nodes > nodeBlocks)
            problems.Add(new OptionProblem(nameof(PodCidr), $"a pod CIDR with room for {Text(Nodes)} node blocks of /{Text(NodeCidrPrefix)}", $"{PodCidr}, which holds {Text(nodeBlocks)}"));
        long usable = PodAddressing.UsableAddresses(NodeCidrPrefix);
        if (PodsPerNode > usable)
            problems.Add(new OptionProblem(nameof(PodsPerNode), $"at most the {Text(usable)} pods a /{Text(NodeCidrPrefix)} node block holds (2^(32-{Text(NodeCidrPrefix)}) - 3: network, bridge gateway and broadcast are reserved)", Text(PodsPerNode)));
    }

    /// <summary>Invariant text of a value in a problem.</summary>
    internal static string Text(object value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>Encapsulation bytes per packet the CNI adds (Calico MTU docs: VXLAN IPv4 50 B).</summary>
    public int CniOverheadBytes => Cni == CniMode.Vxlan ? 50 : 0;
}
