using ClusterNetPerf.Sim.Cluster.Dns;
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
    /// <summary>--iptables-sync-period: the time between full resyncs (default 30 s).</summary>
    public SimTime SyncPeriod { get; init; } = SimTime.FromSeconds(30);
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

    /// <summary>
    /// Checks the options describe a buildable cluster; returns the problems (empty when valid).
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Nodes < 1) problems.Add($"nodes must be at least 1, found {Nodes}");
        if (PodsPerNode < 1) problems.Add($"podsPerNode must be at least 1, found {PodsPerNode}");
        if (NodeCidrPrefix < PodCidr.PrefixLength || NodeCidrPrefix > 30)
            problems.Add($"nodeCidrPrefix /{NodeCidrPrefix} must lie between the cluster prefix /{PodCidr.PrefixLength} and /30");
        else
        {
            long nodeSubnets = 1L << (NodeCidrPrefix - PodCidr.PrefixLength);
            if (Nodes > nodeSubnets) problems.Add($"podCidr {PodCidr} holds {nodeSubnets} node CIDRs of /{NodeCidrPrefix}, but there are {Nodes} nodes");
            long usable = PodAddressing.UsableAddresses(NodeCidrPrefix);
            if (PodsPerNode > usable) problems.Add($"a /{NodeCidrPrefix} node CIDR holds {usable} pods, but podsPerNode is {PodsPerNode}");
        }
        if (Racks < 1 || Racks > Nodes) problems.Add($"racks must be between 1 and the node count ({Nodes}), found {Racks}");
        if (CoresPerNode < 1) problems.Add($"cores must be at least 1, found {CoresPerNode}");
        if (NodeCpus < 1) problems.Add($"cpus must be at least 1, found {NodeCpus}");
        if (Kernel.CompareTo(KernelVersion.OldestModelled) < 0) problems.Add($"kernel {Kernel} is older than the oldest modelled, {KernelVersion.OldestModelled}");
        if (Mtu < 576 + CniOverheadBytes) problems.Add($"mtu {Mtu} is too small (at least {576 + CniOverheadBytes})");
        if (Services < 0) problems.Add($"services must not be negative, found {Services}");
        if (EndpointsPerService < 0) problems.Add($"endpointsPerService must not be negative, found {EndpointsPerService}");
        if (Services > 0 && EndpointsPerService > Nodes * PodsPerNode)
            problems.Add($"endpointsPerService ({EndpointsPerService}) exceeds the pods in the cluster ({Nodes * PodsPerNode})");
        if (EffectiveConntrackMax < 1) problems.Add("conntrack max must be at least 1");
        if (EffectiveConntrackBuckets < 1) problems.Add("conntrack buckets must be at least 1");
        if (PodRestartsPerSecond < 0) problems.Add($"podRestartsPerSecond must not be negative, found {PodRestartsPerSecond}");
        problems.AddRange(Dns.Validate().Select(problem => "dns: " + problem));
        problems.AddRange(Internet.Validate());
        problems.AddRange(Ingress.Validate());
        if (Ingress.BackendService >= Math.Max(1, Services)) problems.Add($"ingress backendService {Ingress.BackendService} does not exist ({Services} services)");
        return problems;
    }

    /// <summary>Encapsulation bytes per packet the CNI adds (Calico MTU docs: VXLAN IPv4 50 B).</summary>
    public int CniOverheadBytes => Cni == CniMode.Vxlan ? 50 : 0;
}
