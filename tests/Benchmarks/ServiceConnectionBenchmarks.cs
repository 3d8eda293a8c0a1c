using BenchmarkDotNet.Attributes;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Benchmarks;

/// <summary>
/// New connections simulated per wall-clock second through a Service, at 10 and at 10,000
/// Services: the simulator's own cost per connection must not grow with the Service count
/// (rule positions are computed, lookups are hashes). One invocation simulates one second of
/// a 10-node cluster opening ~50,000 connections (the Poisson count is fixed by the seed and
/// the same for every parameter, since each component draws from its own named stream).
/// </summary>
[MemoryDiagnoser]
public class ServiceConnectionBenchmarks
{
    private const int ConnectionsPerSecond = 50_000;

    private Simulator _simulator = null!;

    [Params(10, 10_000)]
    public int Services { get; set; }

    [Params(KubeProxyMode.Iptables, KubeProxyMode.Nftables)]
    public KubeProxyMode Mode { get; set; }

    [IterationSetup]
    public void BuildCluster()
    {
        // TIME_WAIT shortened to 100 ms so the conntrack tables reach their steady size within the
        // warm-up: what is measured is the per-connection hot path, not the growth of live state
        // (with the real 120 s, tables grow for two simulated minutes, by design).
        var options = new ClusterOptions
        {
            Nodes = 10, PodsPerNode = 30, Services = Services, EndpointsPerService = 10, ProxyMode = Mode,
            ConntrackTimeouts = new ConntrackTimeouts { TcpTimeWait = SimTime.FromMilliseconds(100) },
        };
        _simulator = new Simulator(seed: 42);
        var collector = new MetricsCollector(_simulator);
        var model = new ClusterModel(_simulator, options, collector, [TrafficProfile.Default]);
        _ = new PoissonConnectionSource(model, new WorkloadOptions { ConnectionsPerSecond = ConnectionsPerSecond }, 0, "workload-0");
        // Warm the pools (connections, conntrack entries, event slots) so the measured second is steady state.
        _simulator.RunUntil(SimTime.FromSeconds(3));
    }

    [Benchmark(OperationsPerInvoke = ConnectionsPerSecond)]
    public long SimulateOneSecondOfConnections()
    {
        _simulator.RunUntil(_simulator.Now + SimTime.FromSeconds(1));
        return _simulator.EventsProcessed;
    }
}
