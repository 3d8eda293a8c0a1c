using System.Globalization;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;



namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// Reads a scenario document into a <see cref="ScenarioSpec"/>, filling defaults from the records
/// and adding every problem it finds to a <see cref="ProblemList"/>. The sweep is read by
/// <see cref="ScenarioLoader"/>, which removes it from the document first.
/// </summary>
internal sealed class SpecReader(Func<string, bool> isKnownCost)
{
    private static readonly ClusterSpec ClusterDefaults = new();
    private static readonly WorkloadSpec WorkloadDefaults = new() { Type = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 1 };

    public ScenarioSpec Read(ConfigMapping root, ProblemList problems)
    {
        MappingReader m = MappingReader.Open(root, root.Location, "", problems);
        var defaults = new ScenarioSpec { Name = "" };
        string name = m.Required("name", "", "a name", (string text, out string value) => (value = text).Length > 0);
        string description = m.Text("description", defaults.Description);
        string expectedResult = m.Text("expectedResult", defaults.ExpectedResult);
        ulong seed = m.Scalar("seed", defaults.Seed, "an unsigned 64-bit integer", (string text, out ulong value) =>
            ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value));
        SimTime duration = m.Time("duration", defaults.Duration, positive: true);
        SimTime warmup = m.Time("warmup", defaults.Warmup);
        int replications = m.Int("replications", defaults.Replications, min: 1);
        ClusterSpec cluster = m.Section("cluster", ReadCluster);
        var spec = new ScenarioSpec
        {
            Name = name,
            Description = description,
            ExpectedResult = expectedResult,
            Seed = seed,
            Duration = duration,
            Warmup = warmup,
            Replications = replications,
            Cluster = cluster,
            Services = m.Section("services", ReadServices),
            Churn = m.Section("churn", ReadChurn),
            Egress = m.Section("egress", egress => ReadEgress(egress, cluster.Nodes)),
            Ingress = m.Section("ingress", ReadIngress),
            Dns = m.Section("dns", ReadDns),
            Workloads = ReadWorkloads(m, (long)cluster.Nodes * cluster.PodsPerNode),
        };
        m.Take("sweep");
        m.Finish();
        return spec;
    }

    private ClusterSpec ReadCluster(MappingReader m)
    {
        ClusterSpec d = ClusterDefaults;
        var cluster = new ClusterSpec
        {
            Nodes = m.Int("nodes", d.Nodes, min: 1),
            PodsPerNode = m.Int("podsPerNode", d.PodsPerNode, min: 1),
            PodCidr = m.Scalar("podCidr", d.PodCidr, "an IPv4 network in CIDR notation with host bits zero, e.g. 10.244.0.0/16",
                (string text, out Ipv4Cidr value) => Ipv4Cidr.TryParse(text, out value, out _)),
            NodeCidrPrefix = m.Int("nodeCidrPrefix", d.NodeCidrPrefix, min: 1, max: 30),
            Racks = m.Int("racks", d.Racks, min: 1),
            Node = m.Section("node", node => new NodeSpec
            {
                Cores = node.Int("cores", d.Node.Cores, min: 1),
                Cpus = node.Optional("cpus", key => node.Int(key, 1, min: 1)),
                Nic = node.Section("nic", nic => new NicSpec
                {
                    Bandwidth = nic.Rate("bandwidth", d.Node.Nic.Bandwidth),
                    Buffer = nic.Size("buffer", d.Node.Nic.Buffer, positive: true),
                }),
            }),
            Fabric = m.Section("fabric", fabric => new FabricSpec
            {
                Bandwidth = fabric.Rate("bandwidth", d.Fabric.Bandwidth),
                Latency = fabric.Time("latency", d.Fabric.Latency),
            }),
            Cni = m.Section("cni", cni => new CniSpec
            {
                Mode = cni.Enum("mode", d.Cni.Mode),
                Mtu = cni.Int("mtu", d.Cni.Mtu, min: 576, max: 65535),
            }),
            KubeProxy = m.Section("kubeProxy", proxy => new KubeProxySpec
            {
                Mode = proxy.Enum("mode", d.KubeProxy.Mode),
                IpvsScheduler = proxy.Enum("ipvsScheduler", d.KubeProxy.IpvsScheduler),
                MinSyncPeriod = proxy.Time("minSyncPeriod", d.KubeProxy.MinSyncPeriod),
                SyncPeriod = proxy.Time("syncPeriod", d.KubeProxy.SyncPeriod, positive: true),
                WatchDelay = proxy.Time("watchDelay", d.KubeProxy.WatchDelay),
            }),
            Conntrack = m.Section("conntrack", ReadConntrack),
            Kernel = m.Optional("kernel", key => m.Scalar(key, KernelVersion.OldestModelled,
                $"a Linux release major.minor, {KernelVersion.OldestModelled} or later, e.g. \"{KernelVersion.Default}\"",
                (string text, out KernelVersion value) => KernelVersion.TryParse(text, out value) && value.CompareTo(KernelVersion.OldestModelled) >= 0)),
            Costs = m.Section("costs", ReadCosts),
        };
        CheckAddressSpace(m, cluster);
        if (cluster.Racks > cluster.Nodes)
            m.Report("racks", $"at most as many racks as nodes ({cluster.Nodes})", cluster.Racks.ToString(CultureInfo.InvariantCulture));
        return cluster;
    }

    /// <summary>
    /// The pod CIDR must hold <c>nodes</c> node blocks of the node prefix, and each node block must hold
    /// <c>podsPerNode</c> pods in its 2^(32 − prefix) − 3 usable addresses (network, bridge gateway and broadcast excluded).
    /// </summary>
    private static void CheckAddressSpace(MappingReader m, ClusterSpec cluster)
    {
        string key = m.Has("podCidr") ? "podCidr" : m.Has("nodes") ? "nodes" : "nodeCidrPrefix";
        int prefix = cluster.NodeCidrPrefix;
        if (prefix < cluster.PodCidr.PrefixLength)
        {
            m.Report(key, $"a nodeCidrPrefix of at least the pod CIDR's /{cluster.PodCidr.PrefixLength}", $"/{prefix}");
            return;
        }
        long nodeBlocks = 1L << (prefix - cluster.PodCidr.PrefixLength);
        if (nodeBlocks < cluster.Nodes)
            m.Report(key, $"a pod CIDR with room for {cluster.Nodes} node blocks of /{prefix}",
                $"{cluster.PodCidr}, which holds {nodeBlocks}");
        long usable = PodAddressing.UsableAddresses(prefix);
        if (usable < cluster.PodsPerNode)
            m.Report(m.Has("nodeCidrPrefix") ? "nodeCidrPrefix" : "podsPerNode",
                $"node blocks with room for {cluster.PodsPerNode} pods",
                $"/{prefix}, which holds {usable} (2^(32-{prefix}) - 3: network, bridge gateway and broadcast are reserved)");
    }

    private static ConntrackSpec ReadConntrack(MappingReader m)
    {
        ConntrackSpec d = ClusterDefaults.Conntrack;
        return new ConntrackSpec
        {
            Max = m.Optional("max", key => m.Int(key, 0, min: 1)),
            MaxPerCore = m.Int("maxPerCore", d.MaxPerCore, min: 0),
            Min = m.Int("min", d.Min, min: 0),
            TcpEstablishedTimeout = m.Time("tcpEstablishedTimeout", d.TcpEstablishedTimeout, positive: true),
            TcpTimeWaitTimeout = m.Time("tcpTimeWaitTimeout", d.TcpTimeWaitTimeout, positive: true),
            UdpTimeout = m.Time("udpTimeout", d.UdpTimeout, positive: true),
        };
    }

    private OrderedDictionary<string, SimTime> ReadCosts(MappingReader m)
    {
        var costs = new OrderedDictionary<string, SimTime>();
        foreach ((ConfigScalar key, ConfigNode _) in m.TakeAll())
        {
            if (!isKnownCost(key.Value))
            {
                m.Problems.Add(key.Location, m.PathOf(key.Value), "a known cost parameter name", $"'{key.Value}'");
                continue;
            }
            costs[key.Value] = m.Time(key.Value, SimTime.Zero);
        }
        return costs;
    }

    private static ServicesSpec ReadServices(MappingReader m)
    {
        var d = new ServicesSpec();
        return new ServicesSpec
        {
            Count = m.Int("count", d.Count, min: 0),
            EndpointsPerService = m.Int("endpointsPerService", d.EndpointsPerService, min: 1),
            Port = m.Int("port", d.Port, min: 1, max: 65535),
        };
    }

    private static ChurnSpec ReadChurn(MappingReader m)
    {
        var d = new ChurnSpec();
        return new ChurnSpec
        {
            PodRestartsPerSecond = m.Double("podRestartsPerSecond", d.PodRestartsPerSecond, min: 0, max: double.MaxValue),
            RestartDelay = m.Time("restartDelay", d.RestartDelay),
        };
    }

    private static EgressSpec ReadEgress(MappingReader m, int nodes)
    {
        var d = new EgressSpec();
        return new EgressSpec
        {
            SnatPortRange = m.Scalar("snatPortRange", d.SnatPortRange, "a port range low-high with 1 <= low <= high <= 65535, e.g. 1024-65535",
                (string text, out PortRange value) => PortRange.TryParse(text, out value, out _)),
            NatGateway = m.Section("natGateway", gateway => ReadNatGateway(gateway, nodes)),
            Internet = m.Section("internet", internet => new InternetSpec
            {
                Rtt = internet.Time("rtt", d.Internet.Rtt),
                Bandwidth = internet.Rate("bandwidth", d.Internet.Bandwidth),
                Destinations = internet.Int("destinations", d.Internet.Destinations, min: 1),
            }),
        };
    }

    /// <summary>The preset first; its documented values are the defaults every explicit key overrides.</summary>
    private static NatGatewaySpec ReadNatGateway(MappingReader m, int nodes)
    {
        NatGatewayPreset preset = m.Enum("preset", NatGatewayPreset.Aws);
        NatGatewaySpec? d = NatGatewaySpec.FromPreset(preset, nodes);
        if (d is null)
        {
            m.Report("preset", "a cluster the preset covers (azure-lb: Azure's default port allocation table covers backend pools of 1 to 1,000 VMs)", $"{nodes} nodes");
            d = new NatGatewaySpec();
        }
        var gateway = new NatGatewaySpec
        {
            Preset = preset,
            PublicIps = m.Int("publicIps", d.PublicIps, min: 1, max: Math.Min(256, NatGatewaySpec.MaxPublicIps(preset))),
            PortsPerIp = m.Int("portsPerIp", d.PortsPerIp, min: 1, max: 64512),
            MaxConnectionsPerDestination = m.Int("maxConnectionsPerDestination", d.MaxConnectionsPerDestination, min: 1),
            IdleTimeout = m.Time("idleTimeout", d.IdleTimeout, positive: true),
            TransitoryIdleTimeout = m.Time("transitoryIdleTimeout", d.TransitoryIdleTimeout, positive: true),
            PortReuseDelay = m.Time("portReuseDelay", d.PortReuseDelay),
            PortsPerVm = m.Int("portsPerVm", d.PortsPerVm, min: 0),
        };
        if (gateway.PortsPerVm > gateway.PortsPerIp)
            m.Report(m.Has("portsPerVm") ? "portsPerVm" : "portsPerIp", $"ports per VM (0 for a shared pool) no more than the ports per IP ({gateway.PortsPerIp})",
                gateway.PortsPerVm.ToString(CultureInfo.InvariantCulture));
        return gateway;
    }

    private static IngressSpec ReadIngress(MappingReader m)
    {
        var d = new IngressSpec();
        return new IngressSpec
        {
            ControllerReplicas = m.Int("controllerReplicas", d.ControllerReplicas, min: 1),
            ControllerCores = m.Int("controllerCores", d.ControllerCores, min: 1),
            CostPerRequest = m.Time("costPerRequest", d.CostPerRequest),
            ExternalTrafficPolicy = m.Enum("externalTrafficPolicy", d.ExternalTrafficPolicy),
            Hosts = m.Int("hosts", d.Hosts, min: 1),
        };
    }

    private static DnsSpec ReadDns(MappingReader m)
    {
        var d = new DnsSpec();
        return new DnsSpec
        {
            CoreDnsReplicas = m.Int("coreDnsReplicas", d.CoreDnsReplicas, min: 1),
            RaceProbability = m.Double("raceProbability", d.RaceProbability, min: 0, max: 1),
            ResolverTimeout = m.Time("resolverTimeout", d.ResolverTimeout, positive: true),
            CostPerQuery = m.Time("costPerQuery", d.CostPerQuery),
        };
    }

    private static IReadOnlyList<WorkloadSpec> ReadWorkloads(MappingReader m, long pods)
    {
        ConfigNode? node = m.Take("workloads");
        if (node is not ConfigSequence { Items.Count: > 0 } list)
        {
            m.Report("workloads", "a list of at least one workload", node is ConfigSequence ? "an empty list" : node?.Describe() ?? "nothing");
            return [];
        }
        var workloads = new List<WorkloadSpec>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            MappingReader w = MappingReader.Open(list.Items[i], list.Location, string.Create(CultureInfo.InvariantCulture, $"workloads[{i}]"), m.Problems);
            WorkloadSpec d = WorkloadDefaults;
            var workload = new WorkloadSpec
            {
                Type = w.Required("type", d.Type, $"one of {EnumText<WorkloadKind>.Choices}", EnumText<WorkloadKind>.TryParse),
                ConnectionsPerSecondPerPod = w.Has("connectionsPerSecondPerPod") ? w.Double("connectionsPerSecondPerPod", 1, min: 0, max: double.MaxValue, minExclusive: true) : null,
                ConnectionsPerSecond = w.Has("connectionsPerSecondPerPod") && !w.Has("connectionsPerSecond")
                    ? d.ConnectionsPerSecond
                    : w.Required("connectionsPerSecond", d.ConnectionsPerSecond, "a number of connections per second greater than 0 (or connectionsPerSecondPerPod)",
                        (string text, out double value) => MappingReader.TryDouble(text, out value) && value > 0),
                RequestsPerConnection = w.Int("requestsPerConnection", d.RequestsPerConnection, min: 1),
                RequestSize = ReadDistribution(w, "requestSize", d.RequestSize),
                ResponseSize = ReadDistribution(w, "responseSize", d.ResponseSize),
                ServerTime = w.Time("serverTime", d.ServerTime),
                SameNodeFraction = w.Double("sameNodeFraction", d.SameNodeFraction, min: 0, max: 1),
            };
            if (workload.ConnectionsPerSecondPerPod is double perPod)
            {
                if (w.Has("connectionsPerSecond"))
                    w.Report("connectionsPerSecondPerPod", "either connectionsPerSecond or connectionsPerSecondPerPod", "both");
                workload = workload with { ConnectionsPerSecond = perPod * pods };
            }
            if (workload.Type != WorkloadKind.PodToPod && w.Has("sameNodeFraction"))
                w.Report("sameNodeFraction", "sameNodeFraction only on a podToPod workload", $"a {EnumText<WorkloadKind>.Format(workload.Type)} workload");
            w.Finish();
            workloads.Add(workload);
        }
        return workloads;
    }

    private static DistributionSpec ReadDistribution(MappingReader parent, string key, DistributionSpec fallback)
    {
        ConfigNode? node = parent.Take(key);
        if (node is null) return fallback;
        if (node is ConfigScalar)
        {
            ByteSize size = parent.Size(key, ByteSize.FromKibibytes(0));
            return DistributionSpec.Fixed(size);
        }
        return parent.Section(key, ReadDistributionFields);
    }

    private static DistributionSpec ReadDistributionFields(MappingReader m)
    {
        DistributionKind kind = m.Required("distribution", DistributionKind.Deterministic,
            $"one of {EnumText<DistributionKind>.Choices}", EnumText<DistributionKind>.TryParse);
        string[] uses = kind switch
        {
            DistributionKind.Deterministic or DistributionKind.Exponential => ["mean"],
            DistributionKind.Uniform => ["min", "max"],
            DistributionKind.Lognormal => ["median", "sigma"],
            DistributionKind.Pareto => ["scale", "shape"],
            DistributionKind.BoundedPareto => ["min", "max", "shape"],
            _ => ["points"],
        };
        string kindText = EnumText<DistributionKind>.Format(kind);
        foreach (string field in (string[])["mean", "min", "max", "median", "sigma", "scale", "shape", "points"])
        {
            if (uses.Contains(field) && !m.Has(field))
                m.Report(field, $"'{field}' for a {kindText} distribution (it uses {string.Join(", ", uses)})", "nothing");
            else if (!uses.Contains(field) && m.Has(field))
                m.Report(field, $"only {string.Join(", ", uses)} for a {kindText} distribution", $"'{field}'");
        }
        var spec = new DistributionSpec
        {
            Kind = kind,
            Mean = m.Optional("mean", key => m.Size(key, default, positive: kind == DistributionKind.Exponential)),
            Min = m.Optional("min", key => m.Size(key, default, positive: kind == DistributionKind.BoundedPareto)),
            Max = m.Optional("max", key => m.Size(key, default, positive: true)),
            Median = m.Optional("median", key => m.Size(key, default, positive: true)),
            Sigma = m.Optional("sigma", key => m.Double(key, 1, min: 0, max: double.MaxValue, minExclusive: true)),
            Scale = m.Optional("scale", key => m.Size(key, default, positive: true)),
            Shape = m.Optional("shape", key => m.Double(key, 1, min: 0, max: double.MaxValue, minExclusive: true)),
            Points = ReadPoints(m),
        };
        if (spec.Min is ByteSize min && spec.Max is ByteSize max && min.Bytes > max.Bytes)
            m.Report("max", $"a max of at least min ({min})", max.ToString());
        return spec;
    }

    private static IReadOnlyList<EmpiricalPointSpec>? ReadPoints(MappingReader m)
    {
        ConfigNode? node = m.Take("points");
        if (node is null) return null;
        const string expected = "a list of [size, cumulativeProbability] pairs, sizes non-decreasing, probabilities increasing to 1";
        if (node is not ConfigSequence { Items.Count: > 0 } list)
        {
            m.Report("points", expected, node.Describe());
            return null;
        }
        var points = new List<EmpiricalPointSpec>();
        foreach (ConfigNode item in list.Items)
        {
            if (item is ConfigSequence { Items: [ConfigScalar size, ConfigScalar probability] }
                && ByteSize.TryParse(size.Value, out ByteSize bytes, out _)
                && MappingReader.TryDouble(probability.Value, out double p) && p > 0 && p <= 1
                && (points.Count == 0 || (bytes.Bytes >= points[^1].Size.Bytes && p > points[^1].CumulativeProbability)))
            {
                points.Add(new EmpiricalPointSpec(bytes, p));
                continue;
            }
            m.Problems.Add(item.Location, m.PathOf("points"), expected, DescribePair(item));
            return null;
        }
        if (points[^1].CumulativeProbability != 1)
            m.Problems.Add(list.Items[^1].Location, m.PathOf("points"), "a last cumulative probability of exactly 1",
                points[^1].CumulativeProbability.ToString(CultureInfo.InvariantCulture));
        return points;
    }

    private static string DescribePair(ConfigNode item) => item is ConfigSequence sequence
        ? $"[{string.Join(", ", sequence.Items.Select(element => element is ConfigScalar scalar ? scalar.Value : element.Describe()))}]"
        : item.Describe();
}
