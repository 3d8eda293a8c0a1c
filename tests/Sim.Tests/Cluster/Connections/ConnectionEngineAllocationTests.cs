using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Sim.Tests.Cluster.Connections;

public sealed class ConnectionEngineAllocationTests
{
    /// <summary>
    /// Once pools and tables have grown to their steady size (TIME_WAIT shortened, and few conntrack
    /// buckets so that lookups reap expired entries within milliseconds rather than at the GC's pass
    /// up to a minute later: steady state in seconds, not minutes), simulating a connection
    /// allocates nothing: any per-connection
    /// allocation (a closure, a boxed key, an array) costs at least 24 bytes, far above the
    /// bound, which leaves room only for a rare table resize. The warm-up outlasts the DNS
    /// resolver's timeout, whose cancelled timers stay in the event queue until they are due.
    /// </summary>
    [Theory]
    [InlineData(WorkloadKind.ServiceCalls)]
    [InlineData(WorkloadKind.PodToPod)]
    [InlineData(WorkloadKind.Dns)]
    public void Steady_state_connections_allocate_nothing(WorkloadKind kind)
    {
        var options = new ClusterOptions
        {
            Nodes = 10, PodsPerNode = 30, Services = 100, EndpointsPerService = 10, ConntrackBuckets = 64,
            // 20,000 lookups/s are 40,000 queries/s: four CoreDNS cores (17,700 queries/s each) keep up.
            Dns = new DnsOptions { CoreDnsReplicas = 4 },
            ConntrackTimeouts = new ConntrackTimeouts { TcpTimeWait = SimTime.FromMilliseconds(100), Udp = SimTime.FromMilliseconds(100) },
        };
        const double rate = 20_000;
        var simulator = new Simulator(42);
        var model = new ClusterModel(simulator, options, new MetricsCollector(simulator), [TrafficProfile.Default]);
        _ = new PoissonConnectionSource(model, new WorkloadOptions { Kind = kind, ConnectionsPerSecond = rate }, 0, "load");
        simulator.RunUntil(options.Dns.ResolverTimeout + SimTime.FromSeconds(2));

        long before = GC.GetAllocatedBytesForCurrentThread();
        simulator.RunUntil(simulator.Now + SimTime.FromSeconds(2));
        double bytesPerConnection = (GC.GetAllocatedBytesForCurrentThread() - before) / (2 * rate);

        Assert.True(bytesPerConnection < 4, $"{bytesPerConnection:F1} bytes allocated per connection");
    }
}
