using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Cluster.ControlPlane;

/// <summary>
/// The API server as the data plane sees it: it records endpoint changes in the
/// <see cref="ServiceCatalog"/> and tells every node's kube-proxy, each after its own watch
/// delay (exponential around the configured mean), so nodes converge at different times.
/// </summary>
public sealed class ApiServer
{
    private readonly ServiceCatalog _catalog;
    private readonly IReadOnlyList<KubeProxy> _proxies;
    private readonly SimTime _meanWatchDelay;
    private readonly System.Random _random;
    private long _prunedTo;

    public ApiServer(ServiceCatalog catalog, IReadOnlyList<KubeProxy> proxies, SimTime meanWatchDelay, System.Random random)
    {
        _catalog = catalog;
        _proxies = proxies;
        _meanWatchDelay = meanWatchDelay;
        _random = random;
    }

    /// <summary>Replaces the endpoints of <paramref name="service"/> and notifies every node. O(nodes).</summary>
    public void SetEndpoints(SimTime now, int service, Endpoint[] endpoints)
    {
        long version = _catalog.SetEndpoints(now, service, endpoints);
        long oldestSynced = long.MaxValue;
        foreach (KubeProxy proxy in _proxies)
        {
            double delayNs = Exponential.Sample(_random, 1.0 / _meanWatchDelay.Nanoseconds);
            proxy.Notify(version, new SimTime((long)delayNs));
            oldestSynced = Math.Min(oldestSynced, proxy.SyncedVersion);
        }
        // Pruning walks every Service with history: only worth it once the slowest node has moved on.
        if (oldestSynced > _prunedTo)
        {
            _catalog.Prune(oldestSynced);
            _prunedTo = oldestSynced;
        }
    }
}
