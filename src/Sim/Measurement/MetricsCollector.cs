using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Measurement;

/// <summary>
/// Attaches to the data plane's trace sources and keeps what a run reports: connections
/// started inside the measurement window (after warm-up), their latencies, drops by cause,
/// and rule sync latencies of changes made inside the window. <see cref="Measure"/> turns
/// them, with the model's tables and CPUs, into the run's <see cref="RunMetrics"/>.
/// </summary>
public sealed class MetricsCollector : IDataPlaneObserver
{
    private readonly Simulator _simulator;
    private MeasurementWindow _window = new(SimTime.MaxValue, SimTime.MaxValue);
    private readonly long[] _drops = new long[Enum.GetValues<DropCause>().Length];

    public MetricsCollector(Simulator simulator)
    {
        _simulator = simulator;
    }

    public LatencyHistogram SetupLatency { get; } = new();
    public LatencyHistogram RequestLatency { get; } = new();
    /// <summary>Network programming latency: a change at the API server → a node's rules reflecting it, over nodes and changes made in the window.</summary>
    public LatencyHistogram NetworkProgrammingLatency { get; } = new();
    public LatencyHistogram DnsLatency { get; } = new();
    /// <summary>Lookups that waited for the resolver's timeout.</summary>
    public long DnsTimeouts { get; private set; }
    public long ConnectionsOffered { get; private set; }
    public long ConnectionsCompleted { get; private set; }
    public long ConnectionsFailed { get; private set; }
    public long ApplicationBytes { get; private set; }

    /// <summary>Drops counted in the window under <paramref name="cause"/>.</summary>
    public long Drops(DropCause cause) => _drops[(int)cause];

    /// <summary>Starts measuring now; what happened before is discarded.</summary>
    public void StartWindow() => _window = new MeasurementWindow(_simulator.Now, SimTime.MaxValue);

    /// <summary>
    /// Ends the window now: nothing that starts later is counted, but what started inside it
    /// may still complete (a rule sync of an in-window change, a connection's last response).
    /// </summary>
    public void EndWindow() => _window = new MeasurementWindow(_window.Start, _simulator.Now);

    private bool Measured(SimTime startedAt) => _window.Contains(startedAt);

    public void ConnectionOffered(SimTime startedAt)
    {
        if (Measured(startedAt)) ConnectionsOffered++;
    }

    public void SetupCompleted(SimTime startedAt, SimTime latency)
    {
        if (Measured(startedAt)) SetupLatency.Record(latency.Nanoseconds);
    }

    public void RequestCompleted(SimTime startedAt, SimTime latency, long applicationBytes)
    {
        if (!Measured(startedAt)) return;
        RequestLatency.Record(latency.Nanoseconds);
        ApplicationBytes += applicationBytes;
    }

    public void ConnectionCompleted(SimTime startedAt)
    {
        if (Measured(startedAt)) ConnectionsCompleted++;
    }

    public void ConnectionFailed(SimTime startedAt, DropCause cause)
    {
        if (Measured(startedAt)) ConnectionsFailed++;
    }

    public void Dropped(DropCause cause)
    {
        if (Measured(_simulator.Now)) _drops[(int)cause]++;
    }

    public void DnsLookupCompleted(SimTime startedAt, SimTime latency, bool timedOut)
    {
        if (!Measured(startedAt)) return;
        DnsLatency.Record(latency.Nanoseconds);
        if (timedOut) DnsTimeouts++;
    }

    public void RuleSynced(int node, SimTime latency)
    {
        if (Measured(_simulator.Now - latency)) NetworkProgrammingLatency.Record(latency.Nanoseconds);
    }

    /// <summary>The p99 of rule sync latency, in milliseconds; read after the run has drained the syncs of in-window changes.</summary>
    /// <summary>Durations of syncs started in the window (kubeproxy_sync_proxy_rules_duration_seconds).</summary>
    public LatencyHistogram SyncDuration { get; } = new();
    public long FullSyncs { get; private set; }
    public long PartialSyncs { get; private set; }
    /// <summary>The largest nat table a node held after a sync in the window.</summary>
    public long NatRulesMax { get; private set; }
    private readonly Dictionary<int, long> _syncBusyNs = [];

    public void SyncCompleted(int node, SimTime startedAt, SimTime duration, bool full, long natRules)
    {
        SimTime end = startedAt + duration;
        long busyNs = SimTime.Min(end, _window.End).Nanoseconds - SimTime.Max(startedAt, _window.Start).Nanoseconds;
        if (busyNs > 0) _syncBusyNs[node] = _syncBusyNs.GetValueOrDefault(node) + busyNs;
        if (!Measured(startedAt)) return;
        SyncDuration.Record(duration.Nanoseconds);
        if (full) FullSyncs++;
        else PartialSyncs++;
        NatRulesMax = Math.Max(NatRulesMax, natRules);
    }

    /// <summary>The busiest node's share of the window its kube-proxy spent syncing (one core: syncProxyRules runs serially).</summary>
    public double SyncCpuUtilizationMax =>
        _syncBusyNs.Count == 0 || _window.Duration <= SimTime.Zero ? 0 : _syncBusyNs.Values.Max() / (double)_window.Duration.Nanoseconds;

    /// <summary>
    /// <paramref name="metrics"/> with the rule-programming figures, read once the changes made in the window
    /// have synced (after <see cref="Measure"/> and the drain), so slow syncs are counted, not cut off.
    /// </summary>
    public RunMetrics WithRuleProgramming(RunMetrics metrics) => metrics with
    {
        NetworkProgrammingLatencyP50Ms = Milliseconds(NetworkProgrammingLatency, 0.5),
        NetworkProgrammingLatencyP90Ms = Milliseconds(NetworkProgrammingLatency, 0.9),
        NetworkProgrammingLatencyP99Ms = Milliseconds(NetworkProgrammingLatency, 0.99),
        RuleSyncDurationP50Ms = Milliseconds(SyncDuration, 0.5),
        RuleSyncDurationP99Ms = Milliseconds(SyncDuration, 0.99),
        FullSyncs = FullSyncs,
        PartialSyncs = PartialSyncs,
        IptablesNatRules = NatRulesMax,
        KubeProxySyncCpuUtilizationMax = SyncCpuUtilizationMax,
    };

    /// <summary>
    /// Reads the run's figures off this collector and off <paramref name="model"/> at the window's
    /// end (call after <see cref="EndWindow"/>): tables, pools and CPUs are read as they are now.
    /// </summary>
    public RunMetrics Measure(ClusterModel model)
    {
        SimTime now = model.Simulator.Now;
        long conntrackPeak = 0;
        double conntrackMean = 0;
        double cpuMax = 0;
        long earlyDrops = 0;
        long gcEvictions = 0;
        long ebpfCtPeak = 0, ebpfNatPeak = 0, ebpfCtEvictions = 0, ebpfNatEvictions = 0;
        int snatPerDestination = 0;
        foreach (Node node in model.Nodes)
        {
            snatPerDestination = Math.Max(snatPerDestination, node.Snat.PeakInUseTowardOneDestination);
            if (node.Ebpf is { } maps)
            {
                ebpfCtPeak = Math.Max(ebpfCtPeak, maps.CtPeak);
                ebpfNatPeak = Math.Max(ebpfNatPeak, maps.Nat.Peak);
                ebpfCtEvictions += maps.CtEvicted;
                ebpfNatEvictions += maps.Nat.Evicted;
            }
            earlyDrops += node.Conntrack.EarlyDropped;
            gcEvictions += node.Conntrack.GcEvicted;
            conntrackPeak = Math.Max(conntrackPeak, node.Conntrack.Peak);
            conntrackMean = Math.Max(conntrackMean, node.Conntrack.MeanOccupancy(now));
            cpuMax = Math.Max(cpuMax, node.Cpu.Utilization(now));
        }
        return new RunMetrics
        {
            ConnectionsOffered = ConnectionsOffered,
            ConnectionsCompleted = ConnectionsCompleted,
            ConnectionsFailed = ConnectionsFailed,
            SetupLatencyP50Us = Microseconds(SetupLatency, 0.5),
            SetupLatencyP99Us = Microseconds(SetupLatency, 0.99),
            SetupLatencyP999Us = Microseconds(SetupLatency, 0.999),
            RequestLatencyP50Us = Microseconds(RequestLatency, 0.5),
            RequestLatencyP99Us = Microseconds(RequestLatency, 0.99),
            ThroughputGbps = ApplicationBytes * 8 / _window.Duration.TotalSeconds / 1e9,
            DropsLinkBuffer = Drops(DropCause.LinkBuffer),
            DropsConntrackFull = Drops(DropCause.ConntrackFull),
            DropsSnatPorts = Drops(DropCause.SnatPorts),
            DropsNatPortExhausted = Drops(DropCause.NatPortExhausted),
            DropsNoEndpoint = Drops(DropCause.NoEndpoint),
            ConntrackEntriesPeak = conntrackPeak,
            ConntrackEntriesMean = conntrackMean,
            NatPortsInUsePeak = model.Gateway.PeakInUse,
            IngressCpuUtilizationMax = model.Ingress.Cpus.Max(cpu => cpu.Utilization(now)),
            NodeCpuUtilizationMax = cpuMax,
            DnsLookupP99Ms = Milliseconds(DnsLatency, 0.99),
            DnsLookupsTimedOut = DnsTimeouts,
            Events = model.Simulator.EventsProcessed,
            ConntrackEarlyDrops = earlyDrops,
            ConntrackGcEvictions = gcEvictions,
            DropsEbpfMapFull = Drops(DropCause.EbpfMapFull),
            EbpfCtEntriesPeak = ebpfCtPeak,
            EbpfNatEntriesPeak = ebpfNatPeak,
            EbpfCtEvictions = ebpfCtEvictions,
            EbpfNatEvictions = ebpfNatEvictions,
            LbMapEntries = model.EbpfServices?.ServiceEntries ?? 0,
            SnatPortsPerDestinationPeak = snatPerDestination,
            NatPortsPerDestinationPeak = model.Gateway.PeakHeldPerDestination,
            LinkUtilizationMax = model.Fabric.Links.Max(link => link.Utilization(now)),
            CorednsCpuUtilizationMax = model.Dns.CoreDnsCpus.Max(cpu => cpu.Utilization(now)),
            NatAllocations = model.Gateway.Allocated,
            DnsQueriesPerLookup = model.Dns.BackendQueriesPerLookup,
        };
    }

    /// <summary>A quantile in microseconds; NaN when nothing was recorded, never a number that looks measured (an empty CSV field).</summary>
    private static double Microseconds(LatencyHistogram histogram, double quantile) =>
        histogram.Count == 0 ? double.NaN : histogram.ValueAtQuantile(quantile) / 1e3;

    private static double Milliseconds(LatencyHistogram histogram, double quantile) => Microseconds(histogram, quantile) / 1e3;
}
