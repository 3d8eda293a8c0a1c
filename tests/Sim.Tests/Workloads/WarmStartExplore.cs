using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Statistics;
using ClusterNetPerf.Sim.Workloads;
using Xunit.Abstractions;

namespace ClusterNetPerf.Sim.Tests.Workloads;

public sealed class WarmStartExplore(ITestOutputHelper output)
{
    private static readonly ClusterOptions Small = new() { Nodes = 2, PodsPerNode = 10, Services = 4, EndpointsPerService = 4, Dns = new() { CoreDnsReplicas = 1 } };

    public static TheoryData<string> Cases => new() { "ebpf-above" };

    private static (ClusterOptions, WorkloadOptions[], double long_) Case(string name) => name switch
    {
        "ct-below" => (Small, Mixed, 400),
        "ct-above" => (Small with { ConntrackMax = 3000 }, Mixed, 400),
        "gw-below" => (Small, [new WorkloadOptions { Kind = WorkloadKind.Egress, ConnectionsPerSecond = 50 }], 200),
        "gw-above" => (Small with { NatGateway = Small.NatGateway with { Ports = new PortRange(1024, 1024 + 1999), TransitoryIdleTimeout = SimTime.FromSeconds(30) } }, [new WorkloadOptions { Kind = WorkloadKind.Egress, ConnectionsPerSecond = 50 }], 200),
        "ebpf-below" => (Small with { ProxyMode = KubeProxyMode.Ebpf, Ebpf = new EbpfOptions { CtGlobalTcpMax = 65536, MapType = BpfMapType.Hash } }, [new WorkloadOptions { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 20 }], 1000),
        _ => (Small with { ProxyMode = KubeProxyMode.Ebpf, Ebpf = new EbpfOptions { CtGlobalTcpMax = 1024, MapType = BpfMapType.Hash } }, [new WorkloadOptions { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 150 }], 1000),
    };

    private static readonly WorkloadOptions[] Mixed =
    [
        new() { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 40 },
        new() { Kind = WorkloadKind.Egress, ConnectionsPerSecond = 20 },
        new() { Kind = WorkloadKind.Dns, ConnectionsPerSecond = 10 },
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Explore(string name)
    {
        (ClusterOptions options, WorkloadOptions[] workloads, double longWarmup) = Case(name);
        foreach ((string label, WarmStartMode mode, double warmup) in new[] { ("warm", WarmStartMode.Stationary, 10.0), ("warm130", WarmStartMode.Stationary, 130.0), ("long", WarmStartMode.None, longWarmup), ("warm300", WarmStartMode.Stationary, 300.0), ("long2000", WarmStartMode.None, 2000.0), ("long500", WarmStartMode.None, 500.0) })
        {
            var ct = new ReplicationSummary(); var eb = new ReplicationSummary(); var gw = new ReplicationSummary(); var drops = new ReplicationSummary(); var p99 = new ReplicationSummary();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (ulong seed = 1; seed <= 10; seed++)
            {
                WarmStartRun run = WarmStartRun.Execute(options with { WarmStart = mode }, workloads, SimTime.FromSeconds(warmup), SimTime.FromSeconds(20), seed);
                ct.Add(run.ConntrackEntries); eb.Add(run.EbpfCtEntries); gw.Add(run.GatewayPortsHeld);
                var m = run.Metrics;
                drops.Add((m.DropsConntrackFull + m.DropsNatPortExhausted + m.DropsEbpfMapFull + m.DropsSnatPorts) / 20.0);
                p99.Add(m.SetupLatencyP99Us);
            }
            output.WriteLine($"{name} {label}: ct {ct.Mean:F0}±{ct.HalfWidth():F0} ebpf {eb.Mean:F0}±{eb.HalfWidth():F0} gw {gw.Mean:F0}±{gw.HalfWidth():F0} drops/s {drops.Mean:F2}±{drops.HalfWidth():F2} p99 {p99.Mean:F0}±{p99.HalfWidth():F0}  {sw.ElapsedMilliseconds} ms");
        }
    }
}
