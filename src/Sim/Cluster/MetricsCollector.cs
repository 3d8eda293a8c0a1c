using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// Attaches to the data plane's trace sources and keeps what a run reports: connections
/// started inside the measurement window (after warm-up), their latencies, drops by cause,
/// and rule sync latencies of changes made inside the window.
/// </summary>
public sealed class MetricsCollector : IDataPlaneObserver
{
    private readonly Simulator _simulator;
    private SimTime _windowStart = SimTime.MaxValue;
    private SimTime _windowEnd = SimTime.MaxValue;
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
    public void StartWindow() => _windowStart = _simulator.Now;

    /// <summary>
    /// Ends the window now: nothing that starts later is counted, but what started inside it
    /// may still complete (a rule sync of an in-window change, a connection's last response).
    /// </summary>
    public void EndWindow() => _windowEnd = _simulator.Now;

    private bool Measured(SimTime startedAt) => startedAt >= _windowStart && startedAt < _windowEnd;

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
        long busyNs = SimTime.Min(end, _windowEnd).Nanoseconds - SimTime.Max(startedAt, _windowStart).Nanoseconds;
        if (busyNs > 0) _syncBusyNs[node] = _syncBusyNs.GetValueOrDefault(node) + busyNs;
        if (!Measured(startedAt)) return;
        SyncDuration.Record(duration.Nanoseconds);
        if (full) FullSyncs++;
        else PartialSyncs++;
        NatRulesMax = Math.Max(NatRulesMax, natRules);
    }

    /// <summary>The busiest node's share of the window its kube-proxy spent syncing (one core: syncProxyRules runs serially).</summary>
    public double SyncCpuUtilizationMax(SimTime windowLength) =>
        _syncBusyNs.Count == 0 || windowLength <= SimTime.Zero ? 0 : _syncBusyNs.Values.Max() / (double)windowLength.Nanoseconds;
}
