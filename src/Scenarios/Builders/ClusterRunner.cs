using ClusterNetPerf.Scenarios.Running;
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
using ClusterNetPerf.Sim.Statistics;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Scenarios.Builders;

/// <summary>
/// Builds the cluster model from a resolved scenario and runs it: the production
/// <see cref="IPointRunner"/>. Stateless, so sweep points may run on several threads at once.
/// </summary>
public sealed class ClusterRunner : IPointRunner
{
    /// <summary>The library's defaults, for keys a scenario leaves out.</summary>
    private static readonly ClusterOptions LibraryDefaults = new();

    /// <summary>The first public IP of the NAT gateway (TEST-NET-1, RFC 5737).</summary>
    private static readonly IPv4Address GatewayFirstPublicIp = IPv4Address.Parse("192.0.2.1");

    /// <summary>Gateways translate to ports from 1024 up (AWS: 1024–65535; MODEL-REFERENCE.md).</summary>
    private const ushort FirstGatewayPort = 1024;

    /// <inheritdoc />
    public RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken) =>
        ClusterSimulation.Run(ClusterOptionsOf(resolved), WorkloadsOf(resolved), resolved.Warmup, resolved.Duration, seed, cancellationToken);

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
        return new ClusterOptions
        {
            Nodes = cluster.Nodes,
            PodsPerNode = cluster.PodsPerNode,
            PodCidr = cluster.PodCidr,
            NodeCidrPrefix = cluster.NodeCidrPrefix,
            Racks = cluster.Racks,
            CoresPerNode = cluster.Node.Cores,
            NodeCpus = cluster.Node.Cpus ?? LibraryDefaults.NodeCpus,
            Kernel = cluster.Kernel ?? LibraryDefaults.Kernel,
            NicBandwidth = cluster.Node.Nic.Bandwidth,
            NicBuffer = cluster.Node.Nic.Buffer,
            FabricBandwidth = cluster.Fabric.Bandwidth,
            FabricLatency = cluster.Fabric.Latency,
            Cni = cluster.Cni.Mode,
            Mtu = cluster.Cni.Mtu,
            ProxyMode = cluster.KubeProxy.Mode,
            IpvsScheduler = cluster.KubeProxy.IpvsScheduler,
            MinSyncPeriod = cluster.KubeProxy.MinSyncPeriod,
            SyncPeriod = cluster.KubeProxy.SyncPeriod,
            WatchDelay = cluster.KubeProxy.WatchDelay,
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
            NatGateway = new NatGatewayOptions
            {
                FirstPublicIp = GatewayFirstPublicIp,
                PublicIpCount = gateway.PublicIps,
                Ports = new PortRange(FirstGatewayPort, (ushort)(FirstGatewayPort + gateway.PortsPerIp - 1)),
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
            },
        };
    }

    /// <summary>The workloads a scenario describes, with their size distributions as samplers.</summary>
    public static IReadOnlyList<WorkloadOptions> WorkloadsOf(ScenarioSpec scenario) =>
        scenario.Workloads.Select(w => new WorkloadOptions
        {
            Kind = w.Type,
            ConnectionsPerSecond = w.ConnectionsPerSecond,
            SameNodeFraction = w.SameNodeFraction,
            Traffic = new TrafficProfile(w.RequestsPerConnection, SamplerOf(w.RequestSize), SamplerOf(w.ResponseSize), w.ServerTime),
        }).ToArray();

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
