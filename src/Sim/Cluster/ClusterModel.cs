using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// A cluster's data plane wired on a simulator: pods with IPs from the node CIDRs, nodes with
/// cores, NICs and conntrack tables, the fabric, the Service catalog, a kube-proxy per node,
/// the API server, churn, and the connection engine workloads drive.
/// </summary>
public sealed class ClusterModel
{
    /// <summary>Node addresses: 172.16.0.1, 172.16.0.2, … (an underlay outside the pod and service CIDRs).</summary>
    public static readonly IPv4Address FirstNodeAddress = IPv4Address.Parse("172.16.0.1");

    /// <exception cref="ArgumentException">The options do not describe a buildable cluster.</exception>
    public ClusterModel(Simulator simulator, ClusterOptions options, IDataPlaneObserver observer, IReadOnlyList<TrafficProfile> profiles)
    {
        IReadOnlyList<OptionProblem> problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("Invalid cluster options: " + string.Join("; ", problems.Select(problem => problem.Message)), nameof(options));
        Simulator = simulator;
        Options = options;
        Pods = new PodTable(options);
        // CoreDNS from the first pod on, the ingress controllers from the last: apart, and spread over the nodes.
        var coreDns = new ServingPods("coredns", Pods.EvenlySpaced(options.Dns.CoreDnsReplicas, fromTheEnd: false), options.Dns.CoresPerReplica);
        var controllers = new ServingPods("ingress-controller", Pods.EvenlySpaced(options.Ingress.ControllerReplicas, fromTheEnd: true), options.Ingress.ControllerCores);
        Catalog = new ServiceCatalog(options.Services, options.EndpointsPerService, Pods, options.ServicePort, coreDns.Pods, controllers.Pods);
        Proxy = CreateProxy(options, Pods, Catalog, simulator.Random.Stream("kube-proxy"));

        var nodes = new Node[options.Nodes];
        System.Random conntrackRandom = simulator.Random.Stream("conntrack");
        System.Random snatRandom = simulator.Random.Stream("snat");
        bool ebpf = options.ProxyMode == KubeProxyMode.Ebpf;
        System.Random ebpfRandom = simulator.Random.Stream("ebpf");
        long conntrackMax = options.EffectiveConntrackMax;
        for (int n = 0; n < options.Nodes; n++)
        {
            string name = $"node-{n}";
            nodes[n] = new Node(n, n % options.Racks, FirstNodeAddress + (uint)n, Pods.NodeCidr(n),
                new Cpu($"{name}/cores", options.CoresPerNode, steersByFlow: true),
                new Link($"{name}/uplink", options.NicBandwidth, options.FabricLatency, options.NicBuffer),
                new Link($"{name}/downlink", options.NicBandwidth, SimTime.Zero, options.NicBuffer),
                new ConntrackTable(conntrackMax, options.EffectiveConntrackBuckets, options.ConntrackTimeouts, options.Kernel, conntrackRandom),
                new SnatPortAllocator(FirstNodeAddress + (uint)n, snatRandom, options.SnatRandomFully, options.SnatPortRange),
                options,
                ebpf ? new EbpfNodeMaps(simulator, options.Ebpf, FirstNodeAddress + (uint)n, ebpfRandom) : null);
        }
        Nodes = nodes;
        Fabric = new Fabric(nodes, options, options.Internet);

        System.Random syncPhase = simulator.Random.Stream("kube-proxy-phase");
        var kubeProxies = new KubeProxy[options.Nodes];
        for (int n = 0; n < options.Nodes; n++)
        {
            // Each node's kube-proxy started (and did its start-up full sync) at its own time within the last FullSyncPeriod.
            var startedAt = new SimTime(-(long)(syncPhase.NextDouble() * KubeProxy.FullSyncPeriod.Nanoseconds));
            kubeProxies[n] = new KubeProxy(simulator, n, Catalog, Proxy, observer, options, startedAt);
        }
        KubeProxies = kubeProxies;
        ApiServer = new ApiServer(Catalog, kubeProxies, options.WatchDelay, simulator.Random.Stream("watch-delay"));
        if (options.PodRestartsPerSecond > 0)
            Churn = new PodChurn(simulator, Pods, Catalog, ApiServer, options.PodRestartsPerSecond, options.RestartDelay);
        Gateway = new NatGateway(options.NatGateway, simulator.Random.Stream("nat-gateway"));
        Ingress = new IngressController(options, Pods, Catalog, controllers, observer);
        var sourcePorts = SourcePorts = new PodSourcePorts(Pods.Count);
        EbpfServices = ebpf ? new EbpfServiceMaps(Catalog, options.Ebpf.LbMapMax) : null;
        Netfilter = new NodeNetfilter(simulator, nodes, Proxy, options.Costs, Pods, sourcePorts, EbpfServices);
        Connections = new ConnectionEngine(this, Netfilter, sourcePorts, observer, profiles);
        Dns = new DnsResolver(this, Netfilter, sourcePorts, coreDns, observer);
    }

    public Simulator Simulator { get; }
    public ClusterOptions Options { get; }
    public PodTable Pods { get; }
    public ServiceCatalog Catalog { get; }
    public IServiceProxy Proxy { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public Fabric Fabric { get; }
    public IReadOnlyList<KubeProxy> KubeProxies { get; }
    public ApiServer ApiServer { get; }
    public PodChurn? Churn { get; }
    public NatGateway Gateway { get; }
    public IngressController Ingress { get; }
    /// <summary>The source ports the pods' sockets take, shared by connections and DNS lookups.</summary>
    public PodSourcePorts SourcePorts { get; }
    /// <summary>Cilium's service LB maps (the same on every node) in eBPF mode; null otherwise.</summary>
    public EbpfServiceMaps? EbpfServices { get; }
    /// <summary>Every node's netfilter for the first packet of a flow.</summary>
    public NodeNetfilter Netfilter { get; }
    public ConnectionEngine Connections { get; }
    public DnsResolver Dns { get; }

    /// <summary>Starts every component's measurement window now.</summary>
    public void StartWindow()
    {
        SimTime now = Simulator.Now;
        foreach (Node node in Nodes)
        {
            node.Cpu.StartWindow(now);
            node.Conntrack.StartWindow(now);
            node.Ebpf?.StartWindow();
        }
        foreach (Link link in Fabric.Links) link.StartWindow(now);
        Gateway.RestartStatistics(now);
        foreach (Cpu cpu in Ingress.Cpus) cpu.StartWindow(now);
        Dns.StartWindow(now);
    }

    private static IServiceProxy CreateProxy(ClusterOptions options, PodTable pods, ServiceCatalog catalog, System.Random random) => options.ProxyMode switch
    {
        KubeProxyMode.Iptables => new IptablesProxy(catalog, pods, options.Ingress, options.Costs, options.KubeProxyRelease, random),
        KubeProxyMode.Ipvs => new IpvsProxy(catalog, options.Costs, options.IpvsScheduler),
        KubeProxyMode.Nftables => MapLookupProxy.Nftables(catalog, options.Costs, random),
        KubeProxyMode.Ebpf => MapLookupProxy.Ebpf(catalog, options.Costs, random),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.ProxyMode, "Unknown kube-proxy mode."),
    };
}
