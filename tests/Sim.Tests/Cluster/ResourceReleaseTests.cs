using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
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

    private static ClusterModel RunAndDrain(KubeProxyMode mode, Pressure pressure, ulong seed, out MetricsCollector collector,
        WarmStartMode warmStart = WarmStartMode.None)
    {
        var options = new ClusterOptions
        {
            Nodes = 4, PodsPerNode = 10, Services = 5, EndpointsPerService = 4, ProxyMode = mode,
            ConntrackMax = pressure.ConntrackMax,
            // eBPF mode: hash maps at the agent's 1 Ki floor (a wall, so refusals happen) and a NAT port range as small as MASQUERADE's.
            Ebpf = new EbpfOptions
            {
                CtGlobalTcpMax = Math.Max(EbpfOptions.LimitTableMin, pressure.ConntrackMax), CtGlobalAnyMax = EbpfOptions.LimitTableMin,
                MapType = BpfMapType.Hash, NatPortRange = new PortRange(32768, (ushort)(32768 + pressure.SnatPorts - 1)),
            },
            SnatPortRange = new PortRange(1024, (ushort)(1024 + pressure.SnatPorts - 1)),
            NatGateway = new ClusterOptions().NatGateway with { Ports = new PortRange(1024, (ushort)(1024 + pressure.GatewayPorts - 1)) },
            PodRestartsPerSecond = pressure.RestartsPerSecond,
            Dns = new() { CoreDnsReplicas = 2 },
        };
        var simulator = new Simulator(seed);
        collector = new MetricsCollector(simulator);
        var model = new ClusterModel(simulator, options, collector, [TrafficProfile.Default]);
        var workloads = Kinds.Select(kind => new WorkloadOptions { Kind = kind, ConnectionsPerSecond = 400 }).ToList();
        var sources = workloads.Select((workload, i) => new PoissonConnectionSource(model, workload, 0, $"load-{i}")).ToList();
        if (warmStart == WarmStartMode.Stationary) StationaryWarmStart.Apply(model, workloads);
        simulator.RunUntil(SimTime.FromSeconds(3));
        sources.ForEach(source => source.Stop());
        simulator.RunUntil(simulator.Now + Drain);
        // Cilium's CT entries (and the SNAT pairs they own) go at the agent's next GC pass after they expire.
        foreach (Node node in model.Nodes)
            if (node.Ebpf is { } maps) simulator.RunUntil(SimTime.Max(simulator.Now, maps.NextGcPass));
        return model;
    }

    private static void AssertEverythingReleased(ClusterModel model)
    {
        SimTime now = model.Simulator.Now;
        Assert.Equal(0, model.Connections.Active);
        Assert.Equal(0, model.Dns.InFlight);
        Assert.Equal(model.Dns.Started, model.Dns.Finished);
        Assert.Equal(0, model.Gateway.InUse);
        Assert.Equal(0, model.Gateway.Held(now));
        foreach (Node node in model.Nodes)
        {
            node.Conntrack.AdvanceTo(now);
            Assert.Equal(0, node.Conntrack.Count);
            Assert.Equal(0, node.Snat.InUse);
            Assert.Equal(0, node.Ebpf?.CtTcp.Count ?? 0);
            Assert.Equal(0, node.Ebpf?.CtAny.Count ?? 0);
            Assert.Equal(0, node.Ebpf?.Nat.Count ?? 0);
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
        Assert.True(model.Nodes.Sum(n => n.Snat.Failures + (n.Ebpf?.SnatFailures ?? 0)) + model.Gateway.Failures > 0, "no port pool ran out");
        if (mode == KubeProxyMode.Ebpf)
        {
            Assert.True(model.Nodes.Sum(n => n.Ebpf!.CtTcp.InsertFailures + n.Ebpf.CtAny.InsertFailures) > 0, "no eBPF map filled");
            Assert.True(model.Nodes.Max(n => n.Ebpf!.Nat.Peak) > 64, "BPF masquerading was not exercised");
            return;
        }
        Assert.True(model.Nodes.Sum(n => n.Conntrack.DroppedFull) > 0, "the conntrack table never filled");
        Assert.True(model.Nodes.Sum(n => n.Snat.Allocated) > 64, "MASQUERADE was not exercised");
    }

    /// <summary>
    /// A warm-started run gives back what the warm start put in too: its conntrack entries expire and are reaped,
    /// their MASQUERADE ports are released with them, the gateway's ports leave their reuse delay, and Cilium's
    /// CT entries and their SNAT pairs go at the agent's passes.
    /// </summary>
    [Theory]
    [InlineData(KubeProxyMode.Iptables)]
    [InlineData(KubeProxyMode.Ebpf)]
    public void A_warm_started_run_is_back_to_zero_once_traffic_ends_and_timeouts_pass(KubeProxyMode mode)
    {
        var pressure = new Pressure(ConntrackMax: 2_000, SnatPorts: 64, GatewayPorts: 256, RestartsPerSecond: 2);
        ClusterModel model = RunAndDrain(mode, pressure, seed: 7, out _, WarmStartMode.Stationary);
        AssertEverythingReleased(model);
    }

    [Fact]
    public void A_warm_start_fills_every_table_it_covers_within_its_size()
    {
        var options = new ClusterOptions
        {
            Nodes = 4, PodsPerNode = 10, Services = 5, EndpointsPerService = 4, ConntrackMax = 2_000,
            SnatPortRange = new PortRange(1024, 1087),
            NatGateway = new ClusterOptions().NatGateway with { Ports = new PortRange(1024, 1279) },
            Dns = new() { CoreDnsReplicas = 2 },
        };
        var simulator = new Simulator(3);
        var model = new ClusterModel(simulator, options, new MetricsCollector(simulator), [TrafficProfile.Default]);
        StationaryWarmStart.Apply(model, [.. Kinds.Select(kind => new WorkloadOptions { Kind = kind, ConnectionsPerSecond = 400 })]);
        // 400/s of each kind over TIME_WAIT is far more than 2,000 entries a node, 64 MASQUERADE ports toward the one destination, 256 gateway ports.
        // A table is filled to its size, less the egress entries whose flow found no MASQUERADE port (refused, as the flow would have been).
        Assert.All(model.Nodes, node => Assert.InRange(node.Conntrack.Count, 1_600, 2_000));
        Assert.All(model.Nodes, node => Assert.InRange(node.Snat.InUse, 1, 64));
        Assert.Equal(256, model.Gateway.Held(SimTime.Zero));
        Assert.Equal(0, model.Gateway.InUse);
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
