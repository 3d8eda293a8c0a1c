using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;
using ClusterNetPerf.Sim.Workloads;
using FsCheck;
using FsCheck.Xunit;

namespace ClusterNetPerf.Sim.Tests.Cluster;

/// <summary>
/// Every acquire has its release on every path: traffic of every kind runs under pressure
/// (a small conntrack table, few MASQUERADE ports, a small gateway, churn), then stops; once
/// every timeout has passed, no connection or lookup is left, and every port pool and
/// conntrack table is back to zero.
/// </summary>
public sealed class ResourceReleaseTests
{
    /// <summary>Longer than every timer a flow can leave behind: SYN retries (127 s), conntrack SYN_SENT and TIME_WAIT (120 s), the gateway's idle timeout (350 s).</summary>
    private static readonly SimTime Drain = SimTime.FromSeconds(400);

    private static readonly WorkloadKind[] Kinds =
        [WorkloadKind.ServiceCalls, WorkloadKind.PodToPod, WorkloadKind.Egress, WorkloadKind.LoadBalancer, WorkloadKind.Ingress, WorkloadKind.Dns];

    private sealed record Pressure(long ConntrackMax, int SnatPorts, int GatewayPorts, double RestartsPerSecond);

    private static ClusterModel RunAndDrain(KubeProxyMode mode, Pressure pressure, ulong seed, out MetricsCollector collector)
    {
        var options = new ClusterOptions
        {
            Nodes = 4, PodsPerNode = 10, Services = 5, EndpointsPerService = 4, ProxyMode = mode,
            ConntrackMax = pressure.ConntrackMax,
            SnatPortRange = new PortRange(1024, (ushort)(1024 + pressure.SnatPorts - 1)),
            NatGateway = new ClusterOptions().NatGateway with { Ports = new PortRange(1024, (ushort)(1024 + pressure.GatewayPorts - 1)) },
            PodRestartsPerSecond = pressure.RestartsPerSecond,
            Dns = new() { CoreDnsReplicas = 2 },
        };
        var simulator = new Simulator(seed);
        collector = new MetricsCollector(simulator);
        var model = new ClusterModel(simulator, options, collector, [TrafficProfile.Default]);
        var sources = Kinds.Select((kind, i) =>
            new PoissonConnectionSource(model, new WorkloadOptions { Kind = kind, ConnectionsPerSecond = 400 }, 0, $"load-{i}")).ToList();
        simulator.RunUntil(SimTime.FromSeconds(3));
        sources.ForEach(source => source.Stop());
        simulator.RunUntil(simulator.Now + Drain);
        return model;
    }

    private static void AssertEverythingReleased(ClusterModel model)
    {
        SimTime now = model.Simulator.Now;
        Assert.Equal(0, model.Connections.Active);
        Assert.Equal(0, model.Dns.InFlight);
        Assert.Equal(model.Dns.Started, model.Dns.Finished);
        Assert.Equal(0, model.Gateway.InUse);
        foreach (Node node in model.Nodes)
        {
            node.Conntrack.AdvanceTo(now);
            Assert.Equal(0, node.Conntrack.Count);
            Assert.Equal(0, node.Snat.InUse);
        }
    }

    [Theory]
    [InlineData(KubeProxyMode.Iptables)]
    [InlineData(KubeProxyMode.Ipvs)]
    [InlineData(KubeProxyMode.Nftables)]
    [InlineData(KubeProxyMode.Ebpf)]
    public void Every_pool_is_back_to_zero_once_traffic_ends_and_timeouts_pass(KubeProxyMode mode)
    {
        ClusterModel model = RunAndDrain(mode, new Pressure(ConntrackMax: 2_000, SnatPorts: 64, GatewayPorts: 256, RestartsPerSecond: 2), seed: 5, out MetricsCollector collector);
        AssertEverythingReleased(model);
        // The pressure was real: flows were refused for ports (and, where conntrack is used, for entries).
        Assert.True(model.Nodes.Sum(n => n.Snat.Failures) + model.Gateway.Failures > 0, "no port pool ran out");
        if (mode != KubeProxyMode.Ebpf) Assert.True(model.Nodes.Sum(n => n.Conntrack.DroppedFull) > 0, "the conntrack table never filled");
        Assert.True(model.Nodes.Sum(n => n.Snat.Allocated) > 64, "MASQUERADE was not exercised");
    }

    [Property(MaxTest = 12)]
    public void Pools_drain_under_any_pressure(PositiveInt conntrackMax, PositiveInt snatPorts, byte gatewayPorts, bool churn, byte mode, ulong seed)
    {
        var pressure = new Pressure(50 + conntrackMax.Get % 2_000, 1 + snatPorts.Get % 512, 64 + gatewayPorts, churn ? 3 : 0);
        ClusterModel model = RunAndDrain((KubeProxyMode)(mode % 4), pressure, seed, out _);
        AssertEverythingReleased(model);
    }

    /// <summary>
    /// A LoadBalancer flow masqueraded by its entry node holds its port toward the endpoint it
    /// was DNATed to; when a full table early-drops or expires its entry the port is given back
    /// without fault (the run once aborted, releasing a port toward the NodePort instead).
    /// </summary>
    [Fact]
    public void NodePort_flows_under_a_full_conntrack_table_are_dropped_and_counted_not_fatal()
    {
        var options = new ClusterOptions { Nodes = 4, PodsPerNode = 10, Services = 5, EndpointsPerService = 4, ConntrackMax = 100 };
        RunMetrics metrics = ClusterSimulation.Run(options,
            [new WorkloadOptions { Kind = WorkloadKind.LoadBalancer, ConnectionsPerSecond = 2_000 }, new WorkloadOptions { Kind = WorkloadKind.Ingress, ConnectionsPerSecond = 2_000 }],
            warmup: SimTime.FromMilliseconds(100), duration: SimTime.FromMilliseconds(200), seed: 1);
        Assert.True(metrics.DropsConntrackFull + metrics.ConntrackEarlyDrops + metrics.ConntrackGcEvictions > 0, "the table never came under pressure");
        Assert.True(metrics.ConnectionsOffered > 0);
    }
}
