using System.Globalization;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Ebpf;
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
    /// <summary>Cost parameters the scenario sets with a key of their own section, so that one value has one key.</summary>
    private static readonly Dictionary<string, string> CostsWithTheirOwnKey = new()
    {
        ["ingressPerRequest"] = "ingress.costPerRequest",
        ["dnsPerQuery"] = "dns.costPerQuery",
    };

    private static readonly ClusterSpec ClusterDefaults = new();
    private static readonly WorkloadSpec WorkloadDefaults = new() { Type = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 1 };

    public ScenarioSpec Read(ConfigMapping root, ProblemList problems)
    {
        MappingReader m = MappingReader.Open(root, root.Location, "", problems);
        var defaults = new ScenarioSpec { Name = "" };
        string name = m.Required("name", "", ScenarioName.Expected, ScenarioName.IsSafe);
        string description = m.Text("description", defaults.Description);
        string expectedResult = m.Text("expectedResult", defaults.ExpectedResult);
        ulong seed = m.Scalar("seed", defaults.Seed, "an unsigned 64-bit integer", (string text, out ulong value) =>
            ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value));
        SimTime duration = m.Time("duration", defaults.Duration);
        SimTime warmup = m.Time("warmup", defaults.Warmup);
        WarmStartMode warmStart = m.Enum("warmStart", defaults.WarmStart);
        int replications = m.Int("replications", defaults.Replications, min: 1, max: ScenarioSpec.MaxReplications);
        // The cluster first: a NAT gateway preset (Azure LB) and per-pod rates depend on its size.
        ClusterSpec cluster = m.Section("cluster", ReadCluster);
        var spec = new ScenarioSpec
        {
            Name = name,
            Description = description,
            ExpectedResult = expectedResult,
            Seed = seed,
            Duration = duration,
            Warmup = warmup,
            WarmStart = warmStart,
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

    /// <summary>Reads the cluster's keys by type; ranges and the address rule are <see cref="ClusterOptions.Validate"/>'s.</summary>
    private ClusterSpec ReadCluster(MappingReader m)
    {
        ClusterSpec d = ClusterDefaults;
        return new ClusterSpec
        {
            Nodes = m.Integer("nodes", d.Nodes),
            PodsPerNode = m.Integer("podsPerNode", d.PodsPerNode),
            PodCidr = m.Scalar("podCidr", d.PodCidr, "an IPv4 network in CIDR notation with host bits zero, e.g. 10.244.0.0/16",
                (string text, out Ipv4Cidr value) => Ipv4Cidr.TryParse(text, out value, out _)),
            NodeCidrPrefix = m.Integer("nodeCidrPrefix", d.NodeCidrPrefix),
            Racks = m.Integer("racks", d.Racks),
            Node = m.Section("node", node => new NodeSpec
            {
                Cores = node.Integer("cores", d.Node.Cores),
                Cpus = node.Optional("cpus", key => node.Integer(key, 1)),
                Nic = node.Section("nic", nic => new NicSpec
                {
                    Bandwidth = nic.Rate("bandwidth", d.Node.Nic.Bandwidth),
                    Buffer = nic.Size("buffer", d.Node.Nic.Buffer),
                    OffloadBatch = nic.Size("offloadBatch", d.Node.Nic.OffloadBatch),
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
                Mtu = cni.Integer("mtu", d.Cni.Mtu),
            }),
            KubeProxy = m.Section("kubeProxy", proxy => new KubeProxySpec
            {
                Mode = proxy.Enum("mode", d.KubeProxy.Mode),
                IpvsScheduler = proxy.Enum("ipvsScheduler", d.KubeProxy.IpvsScheduler),
                MinSyncPeriod = proxy.Time("minSyncPeriod", d.KubeProxy.MinSyncPeriod),
                SyncPeriod = proxy.Time("syncPeriod", d.KubeProxy.SyncPeriod),
                WatchDelay = proxy.Time("watchDelay", d.KubeProxy.WatchDelay),
                Version = ReadRelease(proxy, d.KubeProxy.Version),
            }),
            Conntrack = m.Section("conntrack", ReadConntrack),
            Ebpf = m.Section("ebpf", ReadEbpf),
            Kernel = m.Optional("kernel", key => m.Scalar(key, KernelVersion.OldestModelled,
                $"a Linux release major.minor, {KernelVersion.OldestModelled} or later, e.g. \"{KernelVersion.Default}\"",
                (string text, out KernelVersion value) => KernelVersion.TryParse(text, out value) && value.CompareTo(KernelVersion.OldestModelled) >= 0)),
            Costs = m.Section("costs", ReadCosts),
        };
    }

    private static ConntrackSpec ReadConntrack(MappingReader m)
    {
        ConntrackSpec d = ClusterDefaults.Conntrack;
        return new ConntrackSpec
        {
            Max = m.Optional("max", key => m.Integer(key, 0L)),
            MaxPerCore = m.Integer("maxPerCore", d.MaxPerCore),
            Min = m.Integer("min", d.Min),
            TcpEstablishedTimeout = m.Time("tcpEstablishedTimeout", d.TcpEstablishedTimeout),
            TcpTimeWaitTimeout = m.Time("tcpTimeWaitTimeout", d.TcpTimeWaitTimeout),
            UdpTimeout = m.Time("udpTimeout", d.UdpTimeout),
        };
    }

    /// <summary>cluster.ebpf: Cilium's agent flags, named as the agent's (bpf-ct-global-tcp-max → ctGlobalTcpMax); absent keys keep the library's defaults, whose ranges the library checks.</summary>
    private static EbpfOptions ReadEbpf(MappingReader m)
    {
        EbpfOptions d = ClusterDefaults.Ebpf;
        return new EbpfOptions
        {
            NodeMemory = m.Size("nodeMemory", d.NodeMemory),
            MapDynamicSizeRatio = m.Number("mapDynamicSizeRatio", d.MapDynamicSizeRatio),
            CtGlobalTcpMax = m.Optional("ctGlobalTcpMax", key => m.Integer(key, 0L)),
            CtGlobalAnyMax = m.Optional("ctGlobalAnyMax", key => m.Integer(key, 0L)),
            NatGlobalMax = m.Optional("natGlobalMax", key => m.Integer(key, 0L)),
            LbMapMax = m.Integer("lbMapMax", d.LbMapMax),
            MapType = m.Enum("mapType", d.MapType),
            TcpLifetime = m.Time("ctTimeoutRegularTcp", d.TcpLifetime),
            TcpSynTimeout = m.Time("ctTimeoutRegularTcpSyn", d.TcpSynTimeout),
            TcpCloseTimeout = m.Time("ctTimeoutRegularTcpFin", d.TcpCloseTimeout),
            AnyLifetime = m.Time("ctTimeoutRegularAny", d.AnyLifetime),
        };
    }

    private OrderedDictionary<string, SimTime> ReadCosts(MappingReader m)
    {
        var costs = new OrderedDictionary<string, SimTime>();
        foreach ((ConfigScalar key, ConfigNode _) in m.TakeAll())
        {
            if (CostsWithTheirOwnKey.TryGetValue(key.Value, out string? ownKey))
                m.Problems.Add(key.Location, m.PathOf(key.Value), $"{ownKey} for this cost (one key per value)", $"'{key.Value}'");
            else if (!isKnownCost(key.Value))
                m.Problems.Add(key.Location, m.PathOf(key.Value), "a known cost parameter name", $"'{key.Value}'");
            else
                costs[key.Value] = m.Time(key.Value, SimTime.Zero);
        }
        return costs;
    }

    private static ServicesSpec ReadServices(MappingReader m)
    {
        var d = new ServicesSpec();
        return new ServicesSpec
        {
            Count = m.Integer("count", d.Count),
            EndpointsPerService = m.Integer("endpointsPerService", d.EndpointsPerService),
            Port = m.Int("port", d.Port, min: 1, max: ushort.MaxValue),
        };
    }

    private static ChurnSpec ReadChurn(MappingReader m)
    {
        var d = new ChurnSpec();
        return new ChurnSpec
        {
            PodRestartsPerSecond = m.Number("podRestartsPerSecond", d.PodRestartsPerSecond),
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
                Destinations = internet.Integer("destinations", d.Internet.Destinations),
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
            PublicIps = m.Int("publicIps", d.PublicIps, min: 1, max: NatGatewaySpec.MaxPublicIps(preset)),
            // The ports are counted from the library gateway's first port, so the range that fits is the default's.
            PortsPerIp = m.Int("portsPerIp", d.PortsPerIp, min: 1, max: new NatGatewaySpec().PortsPerIp),
            MaxConnectionsPerDestination = m.Integer("maxConnectionsPerDestination", d.MaxConnectionsPerDestination),
            IdleTimeout = m.Time("idleTimeout", d.IdleTimeout),
            TransitoryIdleTimeout = m.Time("transitoryIdleTimeout", d.TransitoryIdleTimeout),
            PortReuseDelay = m.Time("portReuseDelay", d.PortReuseDelay),
            PortsPerVm = m.Integer("portsPerVm", d.PortsPerVm),
        };
        return gateway;
    }

    private static IngressSpec ReadIngress(MappingReader m)
    {
        var d = new IngressSpec();
        return new IngressSpec
        {
            ControllerReplicas = m.Integer("controllerReplicas", d.ControllerReplicas),
            ControllerCores = m.Integer("controllerCores", d.ControllerCores),
            CostPerRequest = m.Time("costPerRequest", d.CostPerRequest),
            ExternalTrafficPolicy = m.Enum("externalTrafficPolicy", d.ExternalTrafficPolicy),
            Hosts = m.Integer("hosts", d.Hosts),
        };
    }

    private static DnsSpec ReadDns(MappingReader m)
    {
        var d = new DnsSpec();
        return new DnsSpec
        {
            CoreDnsReplicas = m.Integer("coreDnsReplicas", d.CoreDnsReplicas),
            RaceProbability = m.Optional("raceProbability", key => m.Number(key, 0)) ?? d.RaceProbability,
            ResolverTimeout = m.Time("resolverTimeout", d.ResolverTimeout),
            CostPerQuery = m.Time("costPerQuery", d.CostPerQuery),
            Ndots = m.Integer("ndots", d.Ndots),
            ExtraSearchDomains = ReadNames(m, "extraSearchDomains", d.ExtraSearchDomains),
            NodeLocalCache = m.Scalar("nodeLocalCache", d.NodeLocalCache, "true or false", bool.TryParse),
            NodeLocalCacheHitRatio = m.Number("nodeLocalCacheHitRatio", d.NodeLocalCacheHitRatio),
        };
    }

    /// <summary>A list of names (e.g. search domains).</summary>
    private static IReadOnlyList<string> ReadNames(MappingReader m, string key, IReadOnlyList<string> fallback)
    {
        ConfigNode? node = m.Take(key);
        if (node is null) return fallback;
        if (node is ConfigSequence list && list.Items.All(item => item is ConfigScalar { Value.Length: > 0 }))
            return [.. list.Items.Cast<ConfigScalar>().Select(item => item.Value)];
        m.Report(key, "a list of names", node.Describe());
        return fallback;
    }

    /// <summary>A dns workload's names: <c>internal</c> (0), <c>external</c> (1), or the fraction of external names.</summary>
    private static bool TryExternalNameFraction(string text, out double fraction)
    {
        switch (text)
        {
            case "internal":
                fraction = 0;
                return true;
            case "external":
                fraction = 1;
                return true;
            default:
                return MappingReader.TryDouble(text, out fraction) && fraction is >= 0 and <= 1;
        }
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
                ConnectionsPerSecondPerPod = w.Has("connectionsPerSecondPerPod") ? w.Number("connectionsPerSecondPerPod", 1) : null,
                ConnectionsPerSecond = w.Has("connectionsPerSecondPerPod") && !w.Has("connectionsPerSecond")
                    ? d.ConnectionsPerSecond
                    : w.Required("connectionsPerSecond", d.ConnectionsPerSecond, "a number of connections per second (or connectionsPerSecondPerPod)", MappingReader.TryDouble),
                RequestsPerConnection = w.Integer("requestsPerConnection", d.RequestsPerConnection),
                RequestSize = ReadDistribution(w, "requestSize", d.RequestSize),
                ResponseSize = ReadDistribution(w, "responseSize", d.ResponseSize),
                ServerTime = w.Time("serverTime", d.ServerTime),
                SameNodeFraction = w.Number("sameNodeFraction", d.SameNodeFraction),
                ExternalNameFraction = w.Scalar("names", d.ExternalNameFraction, "internal, external, or the fraction of external names in [0, 1]", TryExternalNameFraction),
            };
            if (workload.ConnectionsPerSecondPerPod is double perPod)
            {
                if (w.Has("connectionsPerSecond"))
                    w.Report("connectionsPerSecondPerPod", "either connectionsPerSecond or connectionsPerSecondPerPod", "both");
                workload = workload with { ConnectionsPerSecond = perPod * pods };
            }
            if (workload.Type != WorkloadKind.Dns && w.Has("names"))
                w.Report("names", "names only on a dns workload", $"a {EnumText<WorkloadKind>.Format(workload.Type)} workload");
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

    private static KubeProxyRelease ReadRelease(MappingReader proxy, KubeProxyRelease fallback)
    {
        string text = proxy.Text("version", fallback.ToString());
        if (KubeProxyRelease.TryParse(text, out KubeProxyRelease release, out string problem)) return release;
        proxy.Report("version", problem, text);
        return fallback;
    }
}
