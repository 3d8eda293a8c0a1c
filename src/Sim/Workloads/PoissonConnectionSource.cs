using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Kernel;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Workloads;

/// <summary>
/// Opens connections at Poisson arrival times from a uniformly chosen ready pod to a target
/// chosen by the workload's kind: a uniformly chosen Service, cluster DNS, an Internet host, or a pod; or from a new Internet client to the ingress (on the same node with
/// the configured fraction, else anywhere). One event per arrival; no allocation.
/// </summary>
public sealed class PoissonConnectionSource : IEventTarget
{
    private const int PickAttempts = 16;

    private readonly Simulator _simulator;
    private readonly ClusterModel _model;
    private readonly ConnectionEngine _engine;
    private readonly PodTable _pods;
    private readonly ClusterOptions _cluster;
    private readonly WorkloadOptions _workload;
    private readonly int _profile;
    private readonly double _rateNs;
    private readonly System.Random _random;
    private EventHandle _next;

    public PoissonConnectionSource(ClusterModel model, WorkloadOptions workload, int profile, string streamName)
    {
        Simulator simulator = model.Simulator;
        _simulator = simulator;
        _model = model;
        _engine = model.Connections;
        _pods = model.Pods;
        _cluster = model.Options;
        _workload = workload;
        _profile = profile;
        _rateNs = workload.ConnectionsPerSecond / 1e9;
        _random = simulator.Random.Stream(streamName);
        ScheduleNext();
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        ScheduleNext();
        switch (_workload.Kind)
        {
            case WorkloadKind.Ingress:
            case WorkloadKind.LoadBalancer:
                _engine.OpenFromInternet(viaController: _workload.Kind == WorkloadKind.Ingress, _profile);
                return;
        }
        if (!TryPickReadyPod(_pods.Count, 0, out int client)) return;
        switch (_workload.Kind)
        {
            case WorkloadKind.Dns:
                _model.Dns.Resolve(client, external: IsExternalName());
                return;
            case WorkloadKind.Egress:
                _engine.OpenToInternet(client, _random.Next(_cluster.Internet.Destinations), _profile);
                return;
            case WorkloadKind.ServiceCalls:
                if (_cluster.Services > 0) _engine.OpenToService(client, _random.Next(_cluster.Services), _profile);
                return;
        }
        double u = _random.NextDouble();
        int node = _pods.NodeOf(client);
        if (u < _workload.SamePodFraction)
            _engine.OpenToPod(client, client, _profile);
        else if (u < _workload.SamePodFraction + _workload.SameNodeFraction && TryPickReadyPod(_cluster.PodsPerNode, node * _cluster.PodsPerNode, out int local))
            _engine.OpenToPod(client, local, _profile);
        else if (TryPickReadyPod(_pods.Count, 0, out int anywhere))
            _engine.OpenToPod(client, anywhere, _profile);
    }

    /// <summary>Whether this lookup is of an external name; draws only when the workload mixes both.</summary>
    private bool IsExternalName() => _workload.ExternalNameFraction switch
    {
        <= 0 => false,
        >= 1 => true,
        double fraction => _random.NextDouble() < fraction,
    };

    /// <summary>No more arrivals; connections already open carry on.</summary>
    public void Stop() => _simulator.Cancel(_next);

    private void ScheduleNext() =>
        _next = _simulator.ScheduleAfter(new SimTime((long)Math.Ceiling(Exponential.Sample(_random, _rateNs))), this, 0);

    private bool TryPickReadyPod(int count, int first, out int pod)
    {
        for (int attempt = 0; attempt < PickAttempts; attempt++)
        {
            pod = first + _random.Next(count);
            if (_pods.IsReady(pod)) return true;
        }
        pod = -1;
        return false;
    }
}
