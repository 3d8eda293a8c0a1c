using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Sim.Tests.Cluster.Edge;

/// <summary>Traffic that leaves and enters the cluster: who sees which source address, and when ports run out.</summary>
public sealed class EdgeTests
{
    private static readonly ClusterOptions Cluster = new() { Nodes = 4, PodsPerNode = 10, Services = 5, EndpointsPerService = 4 };

    private static (ClusterModel Model, RecordingObserver Observer) Build(ClusterOptions options, TrafficProfile? traffic = null)
    {
        var simulator = new Simulator(9);
        var observer = new RecordingObserver();
        return (new ClusterModel(simulator, options, observer, [traffic ?? TrafficProfile.Default]), observer);
    }

    private static void OpenFromInternet(ClusterModel model, bool viaController, int count)
    {
        for (int i = 0; i < count; i++)
        {
            model.Connections.OpenFromInternet(viaController, profile: 0);
            model.Simulator.RunUntil(model.Simulator.Now + SimTime.FromMilliseconds(100));
        }
    }

    private static bool IsInternetClient(IPv4Address address) => Ipv4Cidr.Parse("198.18.0.0/15").Contains(address);

    [Fact]
    public void LoadBalancer_with_cluster_policy_loses_the_client_ip_exactly_when_it_forwards_to_another_node()
    {
        (ClusterModel model, RecordingObserver observer) = Build(Cluster with { Ingress = new IngressOptions { ExternalTrafficPolicy = ExternalTrafficPolicy.Cluster } });
        OpenFromInternet(model, viaController: false, 200);
        Assert.Equal(200, observer.Completed);
        int kept = 0, lost = 0;
        foreach (FlowTuple seen in observer.SeenByServers)
        {
            Assert.True(model.Pods.TryFindByIp(seen.DestinationIp, out int pod));
            if (IsInternetClient(seen.SourceIp)) kept++;
            else
            {
                // SNATed to the entry node's address, which is not the endpoint's own node.
                Assert.Contains(model.Nodes, n => n.Address == seen.SourceIp && n.Index != model.Pods.NodeOf(pod));
                lost++;
            }
        }
        // Backends of service 0 sit on 1 of 4 nodes: about three in four connections take the extra hop.
        Assert.InRange(lost / 200.0, 0.6, 0.9);
        Assert.True(kept > 0);
    }

    [Fact]
    public void LoadBalancer_with_local_policy_keeps_the_client_ip_and_never_forwards()
    {
        (ClusterModel model, RecordingObserver observer) = Build(Cluster with { Ingress = new IngressOptions { ExternalTrafficPolicy = ExternalTrafficPolicy.Local } });
        OpenFromInternet(model, viaController: false, 100);
        Assert.Equal(100, observer.Completed);
        Assert.All(observer.SeenByServers, seen => Assert.True(IsInternetClient(seen.SourceIp)));
    }

    [Fact]
    public void Ingress_controller_puts_the_client_ip_in_x_forwarded_for()
    {
        (ClusterModel model, RecordingObserver observer) = Build(Cluster with { Ingress = new IngressOptions { ExternalTrafficPolicy = ExternalTrafficPolicy.Local } });
        OpenFromInternet(model, viaController: true, 50);
        Assert.Equal(50, observer.Completed);
        Assert.Equal(50, observer.Forwarded.Count);
        foreach ((FlowTuple seen, IPv4Address forwardedFor) in observer.Forwarded)
        {
            Assert.True(IsInternetClient(forwardedFor));
            Assert.True(model.Pods.TryFindByIp(seen.SourceIp, out int controller));
            Assert.Contains(new Endpoint(controller, 0), model.Catalog.Endpoints(model.Catalog.IngressControllers, 0).ToArray());
        }
        Assert.True(model.Ingress.Cpus.Sum(c => c.Jobs) >= 50);
    }

    [Fact]
    public void Ingress_rules_route_each_host_to_its_own_service()
    {
        (ClusterModel model, RecordingObserver observer) = Build(Cluster with { Ingress = new IngressOptions { Hosts = 3 } });
        OpenFromInternet(model, viaController: true, 60);
        var backendPods = observer.Forwarded.Select(f => model.Pods.TryFindByIp(f.Seen.DestinationIp, out int pod) ? pod : -1).ToHashSet();
        var routed = Enumerable.Range(0, 5).Where(s => model.Catalog.Endpoints(s, 0).ToArray().Any(e => backendPods.Contains(e.Pod))).ToArray();
        Assert.Equal([0, 1, 2], routed);
    }

    [Fact]
    public void Egress_reaches_the_internet_from_a_gateway_public_ip_and_replies_come_back_un_natted()
    {
        (ClusterModel model, RecordingObserver observer) = Build(Cluster);
        for (int pod = 0; pod < 20; pod++) model.Connections.OpenToInternet(pod, destination: 0, profile: 0);
        model.Simulator.RunUntil(SimTime.FromSeconds(1));
        Assert.Equal(20, observer.Completed);
        Assert.All(observer.SeenByServers, seen => Assert.Equal(model.Gateway.PublicIp(0), seen.SourceIp));
        Assert.Equal(20, observer.SeenByServers.Select(s => s.SourcePort).Distinct().Count());
        Assert.All(observer.SeenByClients, seen => Assert.Equal(InternetOptions.HostAddress(0), seen.SourceIp));
    }

    [Fact]
    public void A_node_out_of_source_ports_toward_one_destination_drops_new_flows_while_another_destination_works()
    {
        // 50 ports; connections held for 10 s; 100 connections from pods of node 0 to host 0, then one to host 1.
        var options = Cluster with { SnatPortRange = PortRange.Parse("1024-1073"), Internet = new InternetOptions { Destinations = 2 } };
        var longCalls = TrafficProfile.Default with { ServerTime = SimTime.FromSeconds(10) };
        (ClusterModel model, RecordingObserver observer) = Build(options, longCalls);
        for (int i = 0; i < 100; i++) model.Connections.OpenToInternet(i % 10, destination: 0, profile: 0);
        model.Connections.OpenToInternet(0, destination: 1, profile: 0);
        model.Simulator.RunUntil(SimTime.FromMilliseconds(500));
        Node node = model.Nodes[0];
        Assert.Equal(50, node.Snat.InUseToward(new FlowDestination(InternetOptions.HostAddress(0), 443, IpProtocol.Tcp)));
        Assert.Equal(1, node.Snat.InUseToward(new FlowDestination(InternetOptions.HostAddress(1), 443, IpProtocol.Tcp)));
        Assert.Equal(50, observer.Drops[DropCause.SnatPorts]);
        Assert.Equal(51, observer.SeenByServers.Count);
    }

    [Fact]
    public void The_gateway_refuses_mappings_beyond_its_ports_toward_one_destination()
    {
        var gateway = NatGatewayOptions.Aws(IPv4Address.Parse("192.0.2.1")) with { Ports = PortRange.Parse("1024-1053") };
        var longCalls = TrafficProfile.Default with { ServerTime = SimTime.FromSeconds(10) };
        (ClusterModel model, RecordingObserver observer) = Build(Cluster with { NatGateway = gateway }, longCalls);
        for (int i = 0; i < 40; i++) model.Connections.OpenToInternet(i, destination: 0, profile: 0);
        model.Simulator.RunUntil(SimTime.FromMilliseconds(500));
        Assert.Equal(30, model.Gateway.InUse);
        Assert.Equal(10, observer.Drops[DropCause.NatPortExhausted]);
        Assert.Equal(30, observer.SeenByServers.Count);
    }
}
