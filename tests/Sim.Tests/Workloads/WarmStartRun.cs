using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Sim.Tests.Workloads;

/// <summary>
/// One run as <see cref="ClusterSimulation.Run"/> makes it (model, sources, warm start if asked, warm-up,
/// window), with the tables' occupancy sampled every <see cref="SampleEvery"/> inside the window:
/// conntrack entries and eBPF CT entries per node (mean over nodes), and the gateway's ports held (in use
/// or in their reuse delay).
/// </summary>
internal sealed class WarmStartRun : IEventTarget
{
    private static readonly SimTime SampleEvery = SimTime.FromMilliseconds(250);

    private readonly ClusterModel _model;
    private double _conntrack;
    private double _ebpfCt;
    private double _gatewayHeld;
    private int _samples;

    private WarmStartRun(ClusterModel model) => _model = model;

    /// <summary>Time-sampled mean conntrack entries per node in the window.</summary>
    public double ConntrackEntries => _conntrack / _samples;
    /// <summary>Time-sampled mean eBPF CT entries (both maps) per node in the window.</summary>
    public double EbpfCtEntries => _ebpfCt / _samples;
    /// <summary>Time-sampled mean gateway ports held in the window.</summary>
    public double GatewayPortsHeld => _gatewayHeld / _samples;
    /// <summary>The window's metrics, as <see cref="ClusterSimulation.Run"/> reports them.</summary>
    public RunMetrics Metrics { get; private set; } = new();

    public static WarmStartRun Execute(ClusterOptions options, IReadOnlyList<WorkloadOptions> workloads, SimTime warmup, SimTime duration, ulong seed)
    {
        var simulator = new Simulator(seed);
        var collector = new MetricsCollector(simulator);
        var model = new ClusterModel(simulator, options, collector, workloads.Select(w => w.Traffic).ToArray());
        var sources = workloads.Select((workload, i) => new PoissonConnectionSource(model, workload, i, $"workload-{i}")).ToList();
        if (options.WarmStart == WarmStartMode.Stationary) StationaryWarmStart.Apply(model, workloads);
        var run = new WarmStartRun(model);
        simulator.RunUntil(warmup);
        model.StartWindow();
        collector.StartWindow();
        simulator.Schedule(warmup, run, 0);
        simulator.RunUntil(warmup + duration);
        collector.EndWindow();
        sources.ForEach(source => source.Stop());
        run.Metrics = collector.Measure(model);
        return run;
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        SimTime now = _model.Simulator.Now;
        foreach (Node node in _model.Nodes)
        {
            node.Conntrack.AdvanceTo(now);
            _conntrack += node.Conntrack.Count / (double)_model.Nodes.Count;
            _ebpfCt += (node.Ebpf is { } maps ? maps.CtTcp.Count + maps.CtAny.Count : 0) / (double)_model.Nodes.Count;
        }
        _gatewayHeld += _model.Gateway.Held(now);
        _samples++;
        _model.Simulator.ScheduleAfter(SampleEvery, this, 0);
    }
}
