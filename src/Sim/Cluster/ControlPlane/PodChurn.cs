using ClusterNetPerf.Sim.Kernel;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Cluster.ControlPlane;

/// <summary>
/// Pods restarting at random (Poisson, cluster-wide rate): a pod stops, its endpoints are
/// removed; after the restart delay it is back with a new IP and its endpoints are added
/// again. Both changes travel the API server → kube-proxy sync path.
/// </summary>
public sealed class PodChurn : IEventTarget
{
    private enum EventKind
    {
        Restart,
        BackUp,
    }

    private readonly Simulator _simulator;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly ApiServer _apiServer;
    private readonly double _meanGapNs;
    private readonly SimTime _restartDelay;
    private readonly System.Random _random;
    private bool _stopped;

    public PodChurn(Simulator simulator, PodTable pods, ServiceCatalog catalog, ApiServer apiServer, double restartsPerSecond, SimTime restartDelay)
    {
        _simulator = simulator;
        _pods = pods;
        _catalog = catalog;
        _apiServer = apiServer;
        _meanGapNs = 1e9 / restartsPerSecond;
        _restartDelay = restartDelay;
        _random = simulator.Random.Stream("pod-churn");
        ScheduleNextRestart();
    }

    /// <summary>Stops new restarts (pods already away still come back).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Restarts so far.</summary>
    public long Restarts { get; private set; }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        int pod = (int)argument;
        if ((EventKind)kind == EventKind.Restart)
        {
            if (_stopped) return;
            ScheduleNextRestart();
            if (!_pods.IsReady(pod)) return;
            Restarts++;
            Endpoint gone = new(pod, _pods.GenerationOf(pod));
            _pods.Stop(pod);
            foreach (int service in _catalog.ServicesOf(pod))
                _apiServer.SetEndpoints(_simulator.Now, service, Without(_catalog.Endpoints(service, _catalog.CurrentVersion), gone));
            _simulator.ScheduleAfter(_restartDelay, this, (int)EventKind.BackUp, pod);
        }
        else
        {
            _pods.Start(pod);
            Endpoint back = new(pod, _pods.GenerationOf(pod));
            foreach (int service in _catalog.ServicesOf(pod))
                _apiServer.SetEndpoints(_simulator.Now, service, [.. _catalog.Endpoints(service, _catalog.CurrentVersion), back]);
        }
    }

    private void ScheduleNextRestart()
    {
        double gapNs = Exponential.Sample(_random, 1.0 / _meanGapNs);
        _simulator.ScheduleAfter(new SimTime((long)Math.Ceiling(gapNs)), this, (int)EventKind.Restart, _random.Next(_pods.Count));
    }

    private static Endpoint[] Without(ReadOnlySpan<Endpoint> endpoints, Endpoint gone)
    {
        var kept = new List<Endpoint>(endpoints.Length);
        foreach (Endpoint endpoint in endpoints)
            if (endpoint != gone) kept.Add(endpoint);
        return kept.ToArray();
    }
}
