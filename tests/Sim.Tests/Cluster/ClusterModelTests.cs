using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Sim.Tests.Cluster;

/// <summary>A test-built cluster of 3 nodes × 10 pods with 20 Services, driven by hand.</summary>
public sealed class ClusterModelTests
{
    private static readonly ClusterOptions SmallCluster = new() { Nodes = 3, PodsPerNode = 10, Services = 20, EndpointsPerService = 1 };

    private static (ClusterModel Model, RecordingObserver Observer) Build(ClusterOptions options, ulong seed = 1)
    {
        var simulator = new Simulator(seed);
        var observer = new RecordingObserver();
        return (new ClusterModel(simulator, options, observer, [TrafficProfile.Default]), observer);
    }

    /// <summary>
    /// Mean setup latency of one connection to each of the last 20 services, opened one at a
    /// time on an idle cluster. With one endpoint per service, service s is backed by the
    /// (s mod 30)-th pod in spread order, so the last 20 of 20 or of 2,000 services (1,980 is a
    /// multiple of 30) are backed by the same pods: only the rule position differs.
    /// </summary>
    private static double MeanSetupNs(ClusterOptions options, int services)
    {
        (ClusterModel model, RecordingObserver observer) = Build(options with { Services = services });
        for (int s = services - 20; s < services; s++)
        {
            model.Connections.OpenToService(clientPod: 0, service: s, profile: 0);
            model.Simulator.RunUntil(model.Simulator.Now + SimTime.FromMilliseconds(10));
        }
        Assert.Equal(20, observer.SetupLatencies.Count);
        return observer.SetupLatencies.Average(l => (double)l.Nanoseconds);
    }

    [Fact]
    public void First_packet_cost_orders_the_modes_as_their_rule_structures_do()
    {
        double Setup(KubeProxyMode mode, int services) => MeanSetupNs(SmallCluster with { ProxyMode = mode }, services);

        // At 20 services the iptables walk (≈ 20 rules × 20 ns) is cheaper than any map lookup;
        // the lookups order as their costs: eBPF < nftables < IPVS.
        double iptables = Setup(KubeProxyMode.Iptables, 20);
        double ebpf = Setup(KubeProxyMode.Ebpf, 20);
        double nftables = Setup(KubeProxyMode.Nftables, 20);
        double ipvs = Setup(KubeProxyMode.Ipvs, 20);
        Assert.True(nftables < ipvs, $"nftables {nftables} vs ipvs {ipvs}");
        Assert.True(iptables < ipvs && iptables < nftables, $"iptables {iptables} vs nftables {nftables}, ipvs {ipvs}");
        Assert.True(ebpf < nftables, $"ebpf {ebpf} vs nftables {nftables}");

        // With 2,000 services the linear walk dominates; the map lookups do not move.
        Assert.True(Setup(KubeProxyMode.Iptables, 2000) > Setup(KubeProxyMode.Nftables, 2000) + 10_000);
        Assert.Equal(Setup(KubeProxyMode.Nftables, 20), Setup(KubeProxyMode.Nftables, 2000), 1e-6 * nftables);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(7, 0, 1)]
    [InlineData(19, 4, 5)]
    public void Iptables_walk_cost_is_the_matched_position_times_the_per_rule_cost(int service, int endpoint, int endpoints)
    {
        var costs = new DataPlaneCosts();
        (ClusterModel model, _) = Build(SmallCluster with { EndpointsPerService = endpoints });
        var iptables = (IptablesProxy)model.Proxy;
        // jump to KUBE-SERVICES + (service + 1) + masquerade check + (endpoint + 1) + KUBE-SEP (2) + KUBE-POSTROUTING (2)
        Assert.Equal(service + endpoint + 8, iptables.RulesEvaluated(node: 0, service, endpoint, endpoints));
        // A non-Service destination: the jump, all of KUBE-SERVICES (the 20 workload Services, the cluster's own two
        // (kube-dns, ingress), the ingress LoadBalancer IP, the KUBE-NODEPORTS check: IptablesRuleset), POSTROUTING's
        // jump and KUBE-POSTROUTING's RETURN.
        Assert.Equal((1 + 20 + ServiceCatalog.SystemServices + 1 + 1 + 2) * costs.IptablesPerRule.Nanoseconds, iptables.NonServiceNewConnectionWork.Nanoseconds);
    }

    /// <summary>
    /// Before 1.22 (kubernetes PR #96959) each Service port wrote the off-cluster masquerade rule beside its jump in
    /// KUBE-SERVICES and none in KUBE-SVC: the walk to Service k meets 2(k + 1) rules there and one fewer after it, a
    /// walk that matches nothing meets two per Service, and the nat table holds the same number of rules.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(7, 0, 1)]
    [InlineData(19, 4, 5)]
    public void Before_1_22_KUBE_SERVICES_holds_two_rules_per_Service_port(int service, int endpoint, int endpoints)
    {
        var costs = new DataPlaneCosts();
        ClusterOptions today = SmallCluster with { EndpointsPerService = endpoints };
        var current = (IptablesProxy)Build(today).Model.Proxy;
        var old = (IptablesProxy)Build(today with { KubeProxyRelease = KubeProxyRelease.Parse("1.21") }).Model.Proxy;
        Assert.Equal(2 * service + endpoint + 8, old.RulesEvaluated(node: 0, service, endpoint, endpoints));
        int services = 20 + ServiceCatalog.SystemServices;
        Assert.Equal((1 + 2 * services + 1 + 1 + 2) * costs.IptablesPerRule.Nanoseconds, old.NonServiceNewConnectionWork.Nanoseconds);
        Assert.Equal(current.Ruleset(0).NatRules, old.Ruleset(0).NatRules);
        Assert.Equal(current.Ruleset(0).KubeServicesRules + services, old.Ruleset(0).KubeServicesRules);
    }

    /// <summary>
    /// kube-proxy writes KUBE-SERVICES in map order, so kube-dns's rule sits anywhere in it: at a
    /// position drawn per node, inside the chain, and not the same on every node.
    /// </summary>
    [Fact]
    public void Kube_dns_sits_at_an_arbitrary_position_of_each_nodes_chain()
    {
        (ClusterModel model, _) = Build(SmallCluster with { Nodes = 20 });
        var iptables = (IptablesProxy)model.Proxy;
        long[] positions = Enumerable.Range(0, 20).Select(node => iptables.ChainPosition(node, model.Catalog.KubeDns)).ToArray();
        Assert.All(positions, p => Assert.InRange(p, 0, model.Catalog.Count - 1));
        Assert.True(positions.Distinct().Count() > 5, string.Join(",", positions));
        Assert.Equal(7, iptables.ChainPosition(3, 7));
    }

    [Fact]
    public void A_services_endpoints_are_spread_over_distinct_nodes()
    {
        (ClusterModel model, _) = Build(SmallCluster with { EndpointsPerService = 3 });
        for (int s = 0; s < 20; s++)
        {
            int[] nodes = model.Catalog.Endpoints(s, 0).ToArray().Select(e => model.Pods.NodeOf(e.Pod)).ToArray();
            Assert.Equal(3, nodes.Distinct().Count());
        }
    }

    [Theory]
    [InlineData(KubeProxyMode.Iptables)]
    [InlineData(KubeProxyMode.Ebpf)]
    public void Pod_to_pod_traffic_arrives_with_the_senders_pod_ip(KubeProxyMode mode)
    {
        (ClusterModel model, RecordingObserver observer) = Build(SmallCluster with { ProxyMode = mode });
        var pairs = new[] { (0, 1), (0, 15), (12, 29), (5, 5) };
        foreach ((int client, int server) in pairs)
        {
            model.Connections.OpenToPod(client, server, 0);
            model.Simulator.RunUntil(model.Simulator.Now + SimTime.FromMilliseconds(10));
        }
        Assert.Equal(pairs.Length, observer.SeenByServers.Count);
        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(model.Pods.IpOf(pairs[i].Item1), observer.SeenByServers[i].SourceIp);
            Assert.Equal(model.Pods.IpOf(pairs[i].Item2), observer.SeenByServers[i].DestinationIp);
        }
    }

    [Theory]
    [InlineData(KubeProxyMode.Iptables)]
    [InlineData(KubeProxyMode.Ipvs)]
    [InlineData(KubeProxyMode.Nftables)]
    [InlineData(KubeProxyMode.Ebpf)]
    public void Service_replies_reach_the_client_from_the_service_ip_and_requests_reach_an_endpoint(KubeProxyMode mode)
    {
        (ClusterModel model, RecordingObserver observer) = Build(SmallCluster with { ProxyMode = mode, EndpointsPerService = 3 });
        for (int s = 0; s < 20; s++)
        {
            model.Connections.OpenToService(clientPod: s, service: s, profile: 0);
            model.Simulator.RunUntil(model.Simulator.Now + SimTime.FromMilliseconds(10));
        }
        Assert.Equal(20, observer.Completed);
        for (int s = 0; s < 20; s++)
        {
            Assert.Equal(model.Catalog.ClusterIp(s), observer.SeenByClients[s].SourceIp);
            Assert.Equal(model.Catalog.Port, observer.SeenByClients[s].SourcePort);
            Assert.True(model.Pods.TryFindByIp(observer.SeenByServers[s].DestinationIp, out int server));
            Assert.Contains(new Endpoint(server, 0), model.Catalog.Endpoints(s, 0).ToArray());
        }
    }

    [Fact]
    public void Every_message_is_delivered_dropped_or_in_flight_and_conntrack_stays_within_its_size()
    {
        var options = SmallCluster with { ConntrackMax = 200, NicBuffer = ByteSize.Parse("64KiB"), PodRestartsPerSecond = 20, RestartDelay = SimTime.FromMilliseconds(300) };
        var simulator = new Simulator(3);
        var observer = new RecordingObserver();
        var model = new ClusterModel(simulator, options, observer, [TrafficProfile.Default]);
        _ = new PoissonConnectionSource(model, new WorkloadOptions { ConnectionsPerSecond = 3000 }, 0, "w");
        for (int step = 0; step < 200; step++)
        {
            simulator.RunUntil(simulator.Now + SimTime.FromMilliseconds(10));
            Forwarder forwarder = model.Connections.Forwarder;
            Assert.Equal(forwarder.Sent, forwarder.Delivered + forwarder.Dropped + forwarder.InFlight);
            Assert.True(forwarder.InFlight >= 0);
            foreach (Node node in model.Nodes) Assert.InRange(node.Conntrack.Count, 0, 200);
        }
        Assert.True(observer.Drops.GetValueOrDefault(DropCause.ConntrackFull) > 0, "the small table should have overflowed");
        Assert.True(model.Churn!.Restarts > 0);
        Assert.True(observer.RuleSyncLatencies.Count > 0);
    }
}
