using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>
/// The cluster's front door: the cloud load balancer's choice of node, and the L7 ingress
/// controller pods (nginx-like) behind their own LoadBalancer Service. Each controller parses
/// a request on its own cores, picks the Service by the Host header and one of its endpoints,
/// and forwards the request over a kept-alive upstream connection with the client's address
/// in X-Forwarded-For. Under externalTrafficPolicy Local the load balancer's health checks
/// send traffic only to nodes with a ready endpoint.
/// </summary>
/// <remarks>
/// The controllers watch EndpointSlices themselves (ingress-nginx balances in Lua over the
/// endpoints it watches, without kube-proxy), so upstream choices use the API server's
/// current endpoints, not a node's synced rules.
/// </remarks>
public sealed class IngressController
{
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly ServingPods _controllers;
    private readonly IDataPlaneObserver _observer;
    private readonly List<int> _candidateNodes = [];

    public IngressController(ClusterOptions options, PodTable pods, ServiceCatalog catalog, ServingPods controllers, IDataPlaneObserver observer)
    {
        _options = options;
        _pods = pods;
        _catalog = catalog;
        _controllers = controllers;
        _observer = observer;
    }

    /// <summary>The controller pods' cores, for utilisation reports.</summary>
    public IReadOnlyList<Cpu> Cpus => _controllers.Cpus;

    /// <summary>The Service the load balancer fronts: the controllers', or the backend Service itself.</summary>
    public int FrontedService(bool viaController) => viaController ? _catalog.IngressControllers : _options.Ingress.BackendService;

    /// <summary>
    /// The node the load balancer sends a new connection to: any node under the Cluster policy;
    /// under Local, a node hosting a ready endpoint of the fronted Service; −1 if there is none.
    /// </summary>
    public int PickEntryNode(bool viaController, System.Random random)
    {
        if (_options.Ingress.ExternalTrafficPolicy == ExternalTrafficPolicy.Cluster) return random.Next(_options.Nodes);
        _candidateNodes.Clear();
        foreach (Endpoint endpoint in _catalog.Endpoints(FrontedService(viaController), _catalog.CurrentVersion))
            if (_pods.IsCurrent(endpoint.Pod, endpoint.Generation) && !_candidateNodes.Contains(_pods.NodeOf(endpoint.Pod)))
                _candidateNodes.Add(_pods.NodeOf(endpoint.Pod));
        return _candidateNodes.Count == 0 ? -1 : _candidateNodes[random.Next(_candidateNodes.Count)];
    }

    /// <summary>The controller in <paramref name="controllerPod"/> parses and routes a request that arrived now; returns when it is done.</summary>
    public SimTime Process(int controllerPod, SimTime now) => _controllers.CpuOf(controllerPod).Process(now, _options.Costs.IngressPerRequest);

    /// <summary>
    /// Routes a parsed request: its Host header (uniform over the hosts) picks the Service, and
    /// one of that Service's endpoints is chosen uniformly. False when the Service has none.
    /// </summary>
    public bool TryRoute(System.Random random, out Endpoint upstream)
    {
        ReadOnlySpan<Endpoint> backends = _catalog.Endpoints(RouteToService(random), _catalog.CurrentVersion);
        upstream = backends.IsEmpty ? Endpoint.None : backends[random.Next(backends.Length)];
        return !backends.IsEmpty;
    }

    /// <summary>The request reached <paramref name="upstream"/> from the controller at <paramref name="controllerIp"/>, on behalf of <paramref name="clientSeen"/>.</summary>
    public void Delivered(IPv4Address controllerIp, Endpoint upstream, IPv4Address clientSeen, ushort port)
    {
        var seen = new FlowTuple(controllerIp, 0, _pods.IpOf(upstream.Pod), port, IpProtocol.Tcp);
        // X-Forwarded-For carries the address the controller saw the client come from.
        _observer.RequestForwarded(seen, forwardedFor: clientSeen);
    }

    private int RouteToService(System.Random random)
    {
        int host = _options.Ingress.Hosts == 1 ? 0 : random.Next(_options.Ingress.Hosts);
        return (_options.Ingress.BackendService + host) % Math.Max(1, _options.Services);
    }
}
