using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// One node's kube-proxy sync loop as the bounded-frequency runner drives syncProxyRules: a change seen on the watch
/// asks for a run; runs are serial and spaced by min-sync-period (start to start with a burst of 2 up to 1.33,
/// end to start from 1.34: <see cref="KubeProxyRelease"/>); the runner's maxInterval runs a sync even without changes
/// (FullSyncPeriod, 1 h, for iptables and nftables; syncPeriod for IPVS, pkg/proxy/ipvs/proxier.go). A sync is full
/// when forced (start-up, failure, canary) or when the release's periodic full sync is due; otherwise it rewrites the
/// changed Services only. Until a sync completes the node keeps its previous rules (the restore is atomic), so
/// traffic meets stale rules meanwhile.
/// </summary>
public sealed class KubeProxy : IEventTarget
{
    /// <summary>proxyutil.FullSyncPeriod (pkg/proxy/util, PR #129329): the longest a node goes without a full sync, where the release does them.</summary>
    public static readonly SimTime FullSyncPeriod = SimTime.FromSeconds(3600);

    /// <summary>largeClusterEndpointsThreshold in pkg/proxy/iptables/proxier.go: above this many endpoints, large cluster mode.</summary>
    public const long LargeClusterEndpointsThreshold = 1000;

    private enum EventKind
    {
        ChangeSeen,
        SyncStart,
        SyncDone,
        MaxInterval,
    }

    private readonly Simulator _simulator;
    private readonly ServiceCatalog _catalog;
    private readonly IServiceProxy _proxy;
    private readonly IDataPlaneObserver _observer;
    private readonly KubeProxyRelease _release;
    private readonly SimTime _minSyncPeriod;
    private readonly SimTime _syncPeriod;
    private readonly SimTime _maxInterval;
    private long _knownVersion;
    private bool _runRequested;
    private bool _startScheduled;
    private bool _syncing;
    private bool _forceFull;
    private long _maxIntervalGeneration;
    private SimTime _lastSyncEnd;
    private SimTime _lastFullSync;
    private SimTime _lastTableSave;
    /// <summary>Old runner's token bucket: the time at which it was (or would have been) empty; tokens at t = min(burst, (t − this) / minSyncPeriod).</summary>
    private SimTime _bucketEmptyAt;
    private SimTime _syncStartedAt;
    private bool _syncFull;

    /// <param name="startedAt">When this kube-proxy started and finished its start-up full sync (≤ 0: before the run).</param>
    public KubeProxy(Simulator simulator, int node, ServiceCatalog catalog, IServiceProxy proxy, IDataPlaneObserver observer,
        ClusterOptions options, SimTime startedAt)
    {
        _simulator = simulator;
        Node = node;
        _catalog = catalog;
        _proxy = proxy;
        _observer = observer;
        _release = options.KubeProxyRelease;
        // Cilium's agent applies Service changes as they come, without kube-proxy's min-sync-period.
        _minSyncPeriod = proxy.Mode == KubeProxyMode.Ebpf ? SimTime.Zero : options.MinSyncPeriod;
        _syncPeriod = options.SyncPeriod;
        _maxInterval = proxy.Mode == KubeProxyMode.Ipvs ? options.SyncPeriod : FullSyncPeriod;
        _lastSyncEnd = _lastFullSync = _lastTableSave = startedAt;
        _bucketEmptyAt = startedAt - _minSyncPeriod * _release.BurstSyncs;
        if (proxy.Mode != KubeProxyMode.Ebpf)
        {
            SimTime firstPeriodic = startedAt + _maxInterval;
            while (firstPeriodic < simulator.Now) firstPeriodic += _maxInterval;
            _simulator.Schedule(firstPeriodic, this, (int)EventKind.MaxInterval, _maxIntervalGeneration);
        }
    }

    public int Node { get; }

    /// <summary>The catalog version this node's rules reflect.</summary>
    public long SyncedVersion { get; private set; }

    /// <summary>Full syncs this node has completed.</summary>
    public long FullSyncs { get; private set; }

    /// <summary>Partial syncs this node has completed.</summary>
    public long PartialSyncs { get; private set; }

    /// <summary>Tells this kube-proxy that <paramref name="version"/> exists, after <paramref name="watchDelay"/>.</summary>
    public void Notify(long version, SimTime watchDelay) =>
        _simulator.ScheduleAfter(watchDelay, this, (int)EventKind.ChangeSeen, version);

    /// <summary>Forces the next sync to be full, as the canary monitor or a failed restore does (forceSyncProxyRules).</summary>
    public void ForceFullSync()
    {
        _forceFull = true;
        RequestRun();
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        switch ((EventKind)kind)
        {
            case EventKind.ChangeSeen:
                if (argument <= _knownVersion) break;
                _knownVersion = argument;
                RequestRun();
                break;
            case EventKind.MaxInterval:
                if (argument == _maxIntervalGeneration) RequestRun();
                break;
            case EventKind.SyncStart:
                _startScheduled = false;
                StartSync();
                break;
            case EventKind.SyncDone:
                CompleteSync(argument);
                break;
        }
    }

    /// <summary>BoundedFrequencyRunner.Run: requests coalesce into one pending run.</summary>
    private void RequestRun()
    {
        _runRequested = true;
        ScheduleStartIfPossible();
    }

    private void ScheduleStartIfPossible()
    {
        if (_syncing || _startScheduled || !_runRequested) return;
        _startScheduled = true;
        _simulator.Schedule(SimTime.Max(_simulator.Now, EarliestStart()), this, (int)EventKind.SyncStart);
    }

    /// <summary>When the runner lets the next sync start: min-sync-period after the last end (1.34+), or when a token is in the bucket (to 1.33).</summary>
    private SimTime EarliestStart() => _release.MinSyncPeriodFromCompletion
        ? _lastSyncEnd + _minSyncPeriod
        : _bucketEmptyAt + _minSyncPeriod;

    private void StartSync()
    {
        SimTime now = _simulator.Now;
        _runRequested = false;
        _syncing = true;
        if (!_release.MinSyncPeriodFromCompletion)
        {
            SimTime fullBucket = now - _minSyncPeriod * _release.BurstSyncs;
            _bucketEmptyAt = SimTime.Max(_bucketEmptyAt, fullBucket) + _minSyncPeriod;
        }
        bool large = _catalog.TotalEndpoints > LargeClusterEndpointsThreshold;
        bool full = _forceFull || PeriodicFullSyncDue(now, large);
        _forceFull = false;
        // Large cluster mode lists the table for stale chains only once per syncPeriod (syncProxyRules, lastIPTablesCleanup).
        bool savesTable = !large || now - _lastTableSave > _syncPeriod;
        if (savesTable) _lastTableSave = now;
        long target = _knownVersion;
        int changed = _catalog.CountChangedServices(SyncedVersion, target);
        SimTime duration = _proxy.SyncDuration(new SyncWork(Node, full, changed, savesTable));
        _syncStartedAt = now;
        _syncFull = full;
        _simulator.ScheduleAfter(duration, this, (int)EventKind.SyncDone, target);
    }

    private bool PeriodicFullSyncDue(SimTime now, bool large) => _proxy.Mode switch
    {
        KubeProxyMode.Iptables => !_release.PartialSyncs
            || (_release.HourlyFullSync && now - _lastFullSync >= FullSyncPeriod && !(large && _release.NoPeriodicFullSyncInLargeClusters)),
        KubeProxyMode.Nftables => _release.HourlyFullSync && now - _lastFullSync >= FullSyncPeriod,
        _ => false,
    };

    private void CompleteSync(long target)
    {
        SimTime now = _simulator.Now;
        for (long version = SyncedVersion + 1; version <= target; version++)
            _observer.RuleSynced(Node, now - _catalog.ChangeTime(version));
        SyncedVersion = Math.Max(SyncedVersion, target);
        if (_syncFull)
        {
            FullSyncs++;
            _lastFullSync = _syncStartedAt;
        }
        else
        {
            PartialSyncs++;
        }
        _observer.SyncCompleted(Node, _syncStartedAt, now - _syncStartedAt, _syncFull, _proxy.NatRules(Node));
        _syncing = false;
        _lastSyncEnd = now;
        _maxIntervalGeneration++;
        if (_proxy.Mode != KubeProxyMode.Ebpf)
            _simulator.ScheduleAfter(_maxInterval, this, (int)EventKind.MaxInterval, _maxIntervalGeneration);
        ScheduleStartIfPossible();
    }
}
