using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Scenarios.Builders;

/// <summary>
/// Wires the library's options from a scenario: the cluster, the workloads and their samplers. The
/// library owns every default and range; <see cref="Problems"/> asks it whether the result can be
/// simulated and names each problem by its scenario key.
/// </summary>
public static class ClusterOptionsBuilder
{
    /// <summary>What the library finds impossible in <paramref name="scenario"/>, each named by its scenario key path (e.g. <c>services.count</c>).</summary>
    /// <remarks>
    /// Size distributions are the reader's to check (each family has its own fields), so the workloads are
    /// validated with the default sizes; the scenario may have been read with problems, and this must not throw.
    /// </remarks>
    public static IReadOnlyList<OptionProblem> Problems(ScenarioSpec scenario)
    {
        TrafficProfile sizes = TrafficProfile.Default;
        IReadOnlyList<WorkloadOptions> workloads = [.. scenario.Workloads.Select(w => WorkloadOf(w, sizes.RequestBytes, sizes.ResponseBytes))];
        return
        [
            .. ClusterSimulation.Validate(ClusterOptionsOf(scenario), workloads, scenario.Warmup, scenario.Duration)
                .Select(problem => problem with { Option = OptionPaths.ScenarioPathOf(problem.Option) }),
        ];
    }

    /// <summary>The cluster a scenario describes.</summary>
    public static ClusterOptions ClusterOptionsOf(ScenarioSpec scenario)
    {
        ClusterSpec cluster = scenario.Cluster;
        var costOverrides = new List<KeyValuePair<string, SimTime>>
        {
            new("ingressPerRequest", scenario.Ingress.CostPerRequest),
            new("dnsPerQuery", scenario.Dns.CostPerQuery),
        };
        costOverrides.AddRange(cluster.Costs);
        Specs.NatGatewaySpec gateway = scenario.Egress.NatGateway;
        NatGatewayOptions defaultGateway = ClusterOptions.Default.NatGateway;
        return new ClusterOptions
        {
            Nodes = cluster.Nodes,
            PodsPerNode = cluster.PodsPerNode,
            PodCidr = cluster.PodCidr,
            NodeCidrPrefix = cluster.NodeCidrPrefix,
            Racks = cluster.Racks,
            CoresPerNode = cluster.Node.Cores,
            NodeCpus = cluster.Node.Cpus ?? ClusterOptions.Default.NodeCpus,
            Kernel = cluster.Kernel ?? ClusterOptions.Default.Kernel,
            Ebpf = cluster.Ebpf,
            NicBandwidth = cluster.Node.Nic.Bandwidth,
            NicBuffer = cluster.Node.Nic.Buffer,
            OffloadBatch = cluster.Node.Nic.OffloadBatch,
            FabricBandwidth = cluster.Fabric.Bandwidth,
            FabricLatency = cluster.Fabric.Latency,
            Cni = cluster.Cni.Mode,
            Mtu = cluster.Cni.Mtu,
            ProxyMode = cluster.KubeProxy.Mode,
            IpvsScheduler = cluster.KubeProxy.IpvsScheduler,
            MinSyncPeriod = cluster.KubeProxy.MinSyncPeriod,
            SyncPeriod = cluster.KubeProxy.SyncPeriod,
            WatchDelay = cluster.KubeProxy.WatchDelay,
            KubeProxyRelease = cluster.KubeProxy.Version,
            ConntrackMax = cluster.Conntrack.Max,
            ConntrackMaxPerCore = cluster.Conntrack.MaxPerCore,
            ConntrackMin = cluster.Conntrack.Min,
            ConntrackTimeouts = new ConntrackTimeouts
            {
                TcpEstablished = cluster.Conntrack.TcpEstablishedTimeout,
                TcpTimeWait = cluster.Conntrack.TcpTimeWaitTimeout,
                Udp = cluster.Conntrack.UdpTimeout,
            },
            Costs = new DataPlaneCosts().WithOverrides(costOverrides),
            Services = scenario.Services.Count,
            EndpointsPerService = scenario.Services.EndpointsPerService,
            ServicePort = (ushort)scenario.Services.Port,
            PodRestartsPerSecond = scenario.Churn.PodRestartsPerSecond,
            RestartDelay = scenario.Churn.RestartDelay,
            SnatPortRange = scenario.Egress.SnatPortRange,
            NatGateway = defaultGateway with
            {
                PublicIpCount = gateway.PublicIps,
                Ports = new PortRange(defaultGateway.Ports.First, (ushort)(defaultGateway.Ports.First + gateway.PortsPerIp - 1)),
                MaxConnectionsPerDestination = gateway.MaxConnectionsPerDestination,
                IdleTimeout = gateway.IdleTimeout,
                TransitoryIdleTimeout = gateway.TransitoryIdleTimeout,
                PortReuseDelay = gateway.PortReuseDelay,
                PortsPerVm = gateway.PortsPerVm,
            },
            Internet = new InternetOptions
            {
                Rtt = scenario.Egress.Internet.Rtt,
                Bandwidth = scenario.Egress.Internet.Bandwidth,
                Destinations = scenario.Egress.Internet.Destinations,
            },
            Ingress = new IngressOptions
            {
                ControllerReplicas = scenario.Ingress.ControllerReplicas,
                ControllerCores = scenario.Ingress.ControllerCores,
                ExternalTrafficPolicy = scenario.Ingress.ExternalTrafficPolicy,
                Hosts = scenario.Ingress.Hosts,
            },
            Dns = new DnsOptions
            {
                CoreDnsReplicas = scenario.Dns.CoreDnsReplicas,
                RaceProbability = scenario.Dns.RaceProbability,
                ResolverTimeout = scenario.Dns.ResolverTimeout,
                Ndots = scenario.Dns.Ndots,
                ExtraSearchDomains = scenario.Dns.ExtraSearchDomains,
                NodeLocalCache = scenario.Dns.NodeLocalCache,
                NodeLocalCacheHitRatio = scenario.Dns.NodeLocalCacheHitRatio,
            },
            WarmStart = scenario.WarmStart,
        };
    }

    /// <summary>The workloads a scenario describes, with their size distributions as samplers.</summary>
    public static IReadOnlyList<WorkloadOptions> WorkloadsOf(ScenarioSpec scenario) =>
        [.. scenario.Workloads.Select(w => WorkloadOf(w, SamplerOf(w.RequestSize), SamplerOf(w.ResponseSize)))];

    private static WorkloadOptions WorkloadOf(WorkloadSpec workload, Sampler requestBytes, Sampler responseBytes) => new()
    {
        Kind = workload.Type,
        ConnectionsPerSecond = workload.ConnectionsPerSecond,
        SameNodeFraction = workload.SameNodeFraction,
        ExternalNameFraction = workload.ExternalNameFraction,
        Traffic = new TrafficProfile(workload.RequestsPerConnection, requestBytes, responseBytes, workload.ServerTime),
    };

    /// <summary>A size distribution (bytes) as a sampler; the loader has already checked each kind has its fields.</summary>
    public static Sampler SamplerOf(DistributionSpec size) => size.Kind switch
    {
        DistributionKind.Deterministic => new DeterministicSampler(Bytes(size.Mean)),
        DistributionKind.Exponential => new ExponentialSampler(Bytes(size.Mean)),
        DistributionKind.Uniform => new UniformSampler(Bytes(size.Min), Bytes(size.Max)),
        DistributionKind.Lognormal => new LogNormalSampler(Bytes(size.Median), size.Sigma!.Value),
        DistributionKind.Pareto => new ParetoSampler(Bytes(size.Scale), size.Shape!.Value),
        DistributionKind.BoundedPareto => new BoundedParetoSampler(Bytes(size.Min), Bytes(size.Max), size.Shape!.Value),
        DistributionKind.Empirical => new EmpiricalSampler(size.Points!.Select(p => ((double)p.Size.Bytes, p.CumulativeProbability)).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size.Kind, "Unknown size distribution."),
    };

    private static double Bytes(ByteSize? size) => size!.Value.Bytes;
}
