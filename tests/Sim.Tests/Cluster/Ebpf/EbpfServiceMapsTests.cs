using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Statistics;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Sim.Tests.Cluster.Ebpf;

/// <summary>The LB maps hold Services × endpoints × ports entries (maps.rst, "Service LB Map Sizing"); a Service that does not fit is not programmed.</summary>
public sealed class EbpfServiceMapsTests
{
    private static ClusterOptions Options(int services, long lbMapMax) => new()
    {
        Nodes = 4, PodsPerNode = 10, Services = services, EndpointsPerService = 4, ProxyMode = KubeProxyMode.Ebpf,
        Ebpf = new EbpfOptions { LbMapMax = lbMapMax },
    };

    [Fact]
    public void The_services_map_holds_services_times_endpoints_and_leaves_out_what_does_not_fit()
    {
        ClusterOptions options = Options(services: 30, lbMapMax: 64);
        var simulator = new Simulator(1);
        var model = new ClusterModel(simulator, options, new MetricsCollector(simulator), [TrafficProfile.Default]);
        EbpfServiceMaps maps = model.EbpfServices!;
        // kube-dns (2 CoreDNS) and the ingress controllers (2) first, then 4-endpoint Services while they fit: (64 − 4) / 4 = 15.
        int system = options.Dns.CoreDnsReplicas + options.Ingress.ControllerReplicas;
        int workloadFits = (int)((64 - system) / 4);
        Assert.Equal(system + 4L * workloadFits, maps.ServiceEntries);
        Assert.Equal(30 - workloadFits, maps.NotProgrammed);
        Assert.True(maps.IsProgrammed(workloadFits - 1));
        Assert.False(maps.IsProgrammed(workloadFits));
    }

    [Fact]
    public void Flows_to_a_service_left_out_of_the_maps_are_dropped_as_map_full()
    {
        RunMetrics full = ClusterSimulation.Run(Options(services: 30, lbMapMax: 64),
            [new WorkloadOptions { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 500 }],
            warmup: SimTime.FromMilliseconds(100), duration: SimTime.FromSeconds(1), seed: 1);
        RunMetrics roomy = ClusterSimulation.Run(Options(services: 30, lbMapMax: 65_536),
            [new WorkloadOptions { Kind = WorkloadKind.ServiceCalls, ConnectionsPerSecond = 500 }],
            warmup: SimTime.FromMilliseconds(100), duration: SimTime.FromSeconds(1), seed: 1);

        Assert.True(full.DropsEbpfMapFull > 0);
        Assert.Equal(0, roomy.DropsEbpfMapFull);
        Assert.Equal(30 * 4 + 4, roomy.LbMapEntries);
        Assert.True(roomy.EbpfCtEntriesPeak > 0);
    }
}
