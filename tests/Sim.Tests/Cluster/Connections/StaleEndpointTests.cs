using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Cluster.Connections;

/// <summary>
/// A SYN that a stale rule sends to a pod that is gone is not refused at once: the client
/// retransmits it as TCP does (1 s, then doubling) until the pod's node gives up resolving the
/// address (mcast_solicit 3 × retrans_time 1 s) and its ICMP host unreachable ends the
/// connection in SYN_SENT (tcp_v4_err).
/// </summary>
public sealed class StaleEndpointTests
{
    [Fact]
    public void A_syn_to_a_gone_pod_is_retransmitted_until_host_unreachable_after_neighbour_resolution()
    {
        // One endpoint, so every connection follows the stale rule to the gone pod.
        var options = new ClusterOptions { Nodes = 3, PodsPerNode = 10, Services = 1, EndpointsPerService = 1, WatchDelay = SimTime.FromSeconds(60) };
        var simulator = new Simulator(8);
        var observer = new RecordingObserver();
        var model = new ClusterModel(simulator, options, observer, [TrafficProfile.Default]);
        simulator.RunUntil(SimTime.FromSeconds(1));
        Endpoint gone = model.Catalog.Endpoints(0, 0)[0];
        model.Pods.Stop(gone.Pod);

        SimTime opened = simulator.Now;
        const int connections = 10;
        for (int i = 0; i < connections; i++) model.Connections.OpenToService(clientPod: (gone.Pod + 1 + i) % model.Pods.Count, service: 0, profile: 0);

        // The first SYNs reached the gone pod's node and wait there; nothing has failed.
        simulator.RunUntil(opened + SimTime.FromMilliseconds(10));
        Assert.Equal(connections, observer.Drops.GetValueOrDefault(DropCause.NoEndpoint));
        Assert.Empty(observer.Failures);

        // The retransmission at 1 s reaches the unresolved neighbour too; still no failure.
        simulator.RunUntil(opened + SimTime.FromMilliseconds(2_990));
        Assert.Equal(2 * connections, observer.Drops.GetValueOrDefault(DropCause.NoEndpoint));
        Assert.Empty(observer.Failures);

        // Three probes of 1 s without an answer: ICMP host unreachable ends every connection.
        simulator.RunUntil(opened + SimTime.FromMilliseconds(3_010));
        Assert.Equal(connections, observer.Failures.GetValueOrDefault(DropCause.NoEndpoint));
        Assert.Equal(0, model.Connections.Active);
        Assert.Empty(observer.SetupLatencies);
    }
}
