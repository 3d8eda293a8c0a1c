using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>
/// The cluster's front door: the cloud load balancer's choice of node, and the L7 ingress
/// controller pods (nginx-like) that parse each request on their own cores and forward it to
/// a backend. Under externalTrafficPolicy Local the load balancer's health checks send traffic
/// only to nodes with a ready endpoint.
/// </summary>
public sealed class IngressController
{
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly Endpoint[] _controllers;
    private readonly Cpu[] _cpus;
    private readonly SimTime _perRequest;
    private readonly List<int> _candidateNodes = [];

    public IngressController(ClusterOptions options, PodTable pods, ServiceCatalog catalog)
    {
        _options = options;
        _pods = pods;
        _catalog = catalog;
        int replicas = Math.Min(options.Ingress.ControllerReplicas, pods.Count);
        _controllers = new Endpoint[replicas];
        _cpus = new Cpu[replicas];
        for (int r = 0; r < replicas; r++)
        {
            // Spread from the far end of the pod list, away from CoreDNS, which starts at pod 0.
            int pod = pods.Count - 1 - (int)((long)r * pods.Count / replicas);
            _controllers[r] = new Endpoint(pod, pods.GenerationOf(pod));
            _cpus[r] = new Cpu($"ingress-controller-{r}", options.Ingress.ControllerCores);
        }
        _perRequest = options.Costs.IngressPerRequest;
    }

    /// <summary>The controller pods.</summary>
    public ReadOnlySpan<Endpoint> Controllers => _controllers;

    /// <summary>The controller pods' cores, for utilisation reports.</summary>
    public IReadOnlyList<Cpu> Cpus => _cpus;

    /// <summary>
    /// The node the load balancer sends a new connection to: any node under the Cluster policy;
    /// under Local, a node hosting a ready controller (or backend endpoint); -1 if there is none.
    /// </summary>
    public int PickEntryNode(bool viaController, System.Random random)
    {
        if (_options.Ingress.ExternalTrafficPolicy == ExternalTrafficPolicy.Cluster) return random.Next(_options.Nodes);
        ReadOnlySpan<Endpoint> targets = viaController ? _controllers : _catalog.Endpoints(_options.Ingress.BackendService, _catalog.CurrentVersion);
        _candidateNodes.Clear();
        foreach (Endpoint endpoint in targets)
            if (_pods.IsCurrent(endpoint.Pod, endpoint.Generation) && !_candidateNodes.Contains(_pods.NodeOf(endpoint.Pod)))
                _candidateNodes.Add(_pods.NodeOf(endpoint.Pod));
        return _candidateNodes.Count == 0 ? -1 : _candidateNodes[random.Next(_candidateNodes.Count)];
    }

    /// <summary>The Service a request is routed to: its Host header (uniform over the hosts) picks the rule.</summary>
    public int RouteToService(System.Random random)
    {
        int host = _options.Ingress.Hosts == 1 ? 0 : random.Next(_options.Ingress.Hosts);
        return (_options.Ingress.BackendService + host) % Math.Max(1, _options.Services);
    }

    /// <summary>The controller pod <paramref name="controller"/> parses and routes a request that arrived now; returns when it is done.</summary>
    public SimTime Process(Endpoint controller, SimTime now)
    {
        int replica = Array.IndexOf(_controllers, controller);
        return _cpus[replica].Process(now, _perRequest);
    }
}
