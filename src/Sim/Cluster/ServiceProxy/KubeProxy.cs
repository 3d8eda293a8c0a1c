using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// One node's kube-proxy control loop: it hears of API changes after a watch delay, batches
/// them so that syncs start at least min-sync-period apart, and programs the rules, which
/// takes the mode's sync time. Until a sync completes the node keeps using the version it had
/// (iptables-restore commits atomically), so traffic may meet stale rules meanwhile.
/// Every sync-period a full resync runs (KEP-3453: partial syncs in between).
/// </summary>
public sealed class KubeProxy : IEventTarget
{
    private enum EventKind
    {
        ChangeSeen,
        PeriodicResync,
        SyncStart,
        SyncDone,
    }

    private readonly Simulator _simulator;
    private readonly ServiceCatalog _catalog;
    private readonly IServiceProxy _proxy;
    private readonly IDataPlaneObserver _observer;
    private readonly SimTime _minSyncPeriod;
    private readonly SimTime _syncPeriod;
    private SimTime _lastSyncStart;
    private long _knownVersion;
    private bool _fullSyncDue;
    private bool _syncing;
    private bool _syncScheduled;

    public KubeProxy(Simulator simulator, int node, ServiceCatalog catalog, IServiceProxy proxy, IDataPlaneObserver observer,
        SimTime minSyncPeriod, SimTime syncPeriod, SimTime firstFullSync)
    {
        _simulator = simulator;
        Node = node;
        _catalog = catalog;
        _proxy = proxy;
        _observer = observer;
        _minSyncPeriod = minSyncPeriod;
        _syncPeriod = syncPeriod;
        _lastSyncStart = new SimTime(-minSyncPeriod.Nanoseconds);
        _simulator.Schedule(firstFullSync, this, (int)EventKind.PeriodicResync);
    }

    public int Node { get; }

    /// <summary>The catalog version this node's rules reflect.</summary>
    public long SyncedVersion { get; private set; }

    /// <summary>Tells this kube-proxy that <paramref name="version"/> exists, after <paramref name="watchDelay"/>.</summary>
    public void Notify(long version, SimTime watchDelay) =>
        _simulator.ScheduleAfter(watchDelay, this, (int)EventKind.ChangeSeen, version);

    void IEventTarget.OnEvent(int kind, long argument)
    {
        switch ((EventKind)kind)
        {
            case EventKind.ChangeSeen:
                _knownVersion = Math.Max(_knownVersion, argument);
                ScheduleSyncIfNeeded();
                break;
            case EventKind.PeriodicResync:
                _fullSyncDue = true;
                _simulator.ScheduleAfter(_syncPeriod, this, (int)EventKind.PeriodicResync);
                ScheduleSyncIfNeeded();
                break;
            case EventKind.SyncStart:
                _syncScheduled = false;
                StartSync();
                break;
            case EventKind.SyncDone:
                CompleteSync(argument);
                break;
        }
    }

    private void ScheduleSyncIfNeeded()
    {
        if (_syncing || _syncScheduled || (!_fullSyncDue && _knownVersion <= SyncedVersion)) return;
        _syncScheduled = true;
        _simulator.Schedule(SimTime.Max(_simulator.Now, _lastSyncStart + _minSyncPeriod), this, (int)EventKind.SyncStart);
    }

    private void StartSync()
    {
        bool full = _fullSyncDue;
        _fullSyncDue = false;
        _syncing = true;
        _lastSyncStart = _simulator.Now;
        long target = _knownVersion;
        SimTime duration = _proxy.SyncDuration(full, (int)Math.Min(int.MaxValue, target - SyncedVersion));
        _simulator.ScheduleAfter(duration, this, (int)EventKind.SyncDone, target);
    }

    private void CompleteSync(long target)
    {
        SimTime now = _simulator.Now;
        for (long version = SyncedVersion + 1; version <= target; version++)
            _observer.RuleSynced(Node, now - _catalog.ChangeTime(version));
        SyncedVersion = Math.Max(SyncedVersion, target);
        _syncing = false;
        ScheduleSyncIfNeeded();
    }
}
