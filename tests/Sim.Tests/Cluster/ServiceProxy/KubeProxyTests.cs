using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Cluster.ServiceProxy;

public sealed class KubeProxyTests
{
    private static readonly Endpoint[] Endpoints = [new(10, 0), new(11, 0), new(12, 0)];

    [Fact]
    public void Ipvs_round_robin_takes_endpoints_in_turn_per_node_and_service()
    {
        var ipvs = new IpvsProxy(EmptyCatalog(), new DataPlaneCosts(), IpvsScheduler.RoundRobin);
        int[] chosen = Enumerable.Range(0, 7).Select(_ => Choose(ipvs, node: 0, service: 4)).ToArray();
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], chosen);
        // Another node keeps its own turn, as each node's kernel does.
        Assert.Equal(0, Choose(ipvs, node: 1, service: 4));
    }

    [Fact]
    public void Ipvs_least_connection_picks_the_endpoint_with_fewest_active_connections()
    {
        var ipvs = new IpvsProxy(EmptyCatalog(), new DataPlaneCosts(), IpvsScheduler.LeastConnection);
        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(_ => Choose(ipvs, 0, 0)).ToArray());
        ipvs.ConnectionClosed(0, Endpoints[1]);
        Assert.Equal(1, Choose(ipvs, 0, 0));
        ipvs.ConnectionClosed(0, Endpoints[2]);
        ipvs.ConnectionClosed(0, Endpoints[2]);
        Assert.Equal(2, Choose(ipvs, 0, 0));
    }

    private static ServiceCatalog EmptyCatalog()
    {
        var options = new ClusterOptions { Services = 0 };
        return new ServiceCatalog(0, 0, new PodTable(options), options.ServicePort, [0], [1]);
    }

    private static int Choose(IpvsProxy ipvs, int node, int service)
    {
        ipvs.TranslateNewConnection(node, service, Endpoints, out int chosen);
        return chosen;
    }

    [Fact]
    public void Until_a_node_has_synced_connections_still_go_to_a_removed_endpoint_and_fail_on_host_unreachable()
    {
        var options = new ClusterOptions { Nodes = 3, PodsPerNode = 10, Services = 1, EndpointsPerService = 2, WatchDelay = SimTime.FromMilliseconds(100) };
        var simulator = new Simulator(4);
        var observer = new RecordingObserver();
        var model = new ClusterModel(simulator, options, observer, [TrafficProfile.Default]);
        simulator.RunUntil(SimTime.FromSeconds(1));

        // The first endpoint's pod stops; the API server drops it from the Service.
        Endpoint gone = model.Catalog.Endpoints(0, 0)[0];
        model.Pods.Stop(gone.Pod);
        model.ApiServer.SetEndpoints(simulator.Now, 0, [model.Catalog.Endpoints(0, 0)[1]]);

        // Before any node has heard of it, its rules still send about half the connections to the gone pod.
        for (int i = 0; i < 40; i++) model.Connections.OpenToService(clientPod: 20 + i % 10, service: 0, profile: 0);
        simulator.RunUntil(simulator.Now + SimTime.FromMilliseconds(5));
        long sentToGonePod = observer.Drops.GetValueOrDefault(DropCause.NoEndpoint);
        Assert.InRange(sentToGonePod, 8, 32);

        // After the watch delay and a sync, no connection goes there any more; those that went
        // have failed on the ICMP host unreachable that follows the neighbour resolution.
        simulator.RunUntil(simulator.Now + SimTime.FromSeconds(3));
        Assert.Equal(sentToGonePod, observer.Failures.GetValueOrDefault(DropCause.NoEndpoint));
        Assert.All(model.KubeProxies, proxy => Assert.Equal(model.Catalog.CurrentVersion, proxy.SyncedVersion));
        long dropsAfterSync = observer.Drops.GetValueOrDefault(DropCause.NoEndpoint);
        for (int i = 0; i < 40; i++) model.Connections.OpenToService(clientPod: 20 + i % 10, service: 0, profile: 0);
        simulator.RunUntil(simulator.Now + SimTime.FromMilliseconds(50));
        Assert.Equal(dropsAfterSync, observer.Drops.GetValueOrDefault(DropCause.NoEndpoint));
        Assert.Equal(sentToGonePod, observer.Failures.GetValueOrDefault(DropCause.NoEndpoint));
        Assert.Equal(3 * 1, observer.RuleSyncLatencies.Count);
    }
}
