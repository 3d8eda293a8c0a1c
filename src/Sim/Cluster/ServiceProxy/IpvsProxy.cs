using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// kube-proxy's IPVS mode: a hash lookup of the virtual service and a scheduler choice,
/// whatever the number of services; iptables keeps a constant number of ipset-matching rules
/// (Kubernetes blog, "IPVS-Based In-Cluster Load Balancing Deep Dive", 2018-07-09). Each node
/// keeps its own scheduler state, as each node's kernel does.
/// </summary>
/// <remarks>
/// lc scans the service's endpoints for the fewest active connections, as the kernel's
/// ip_vs_lc_schedule does: O(endpoints), bounded by 250 per service (thresholds.md).
/// </remarks>
public sealed class IpvsProxy : IServiceProxy
{
    /// <summary>Rules IPVS mode still walks in iptables for a new connection (KUBE-SERVICES ipset matches). Estimate.</summary>
    private const int ConstantIptablesRules = 5;

    private readonly ServiceCatalog _catalog;
    private readonly DataPlaneCosts _costs;
    private readonly IpvsScheduler _scheduler;
    private readonly Dictionary<(int Node, int Service), int> _nextRoundRobin = new();
    private readonly Dictionary<(int Node, Endpoint Endpoint), int> _activeConnections = new();

    public IpvsProxy(ServiceCatalog catalog, DataPlaneCosts costs, IpvsScheduler scheduler)
    {
        _catalog = catalog;
        _costs = costs;
        _scheduler = scheduler;
    }

    public KubeProxyMode Mode => KubeProxyMode.Ipvs;
    public bool UsesConntrack => true;

    public SimTime TranslateNewConnection(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen)
    {
        chosen = _scheduler == IpvsScheduler.RoundRobin ? NextInTurn(node, service, endpoints.Length) : LeastConnected(node, endpoints);
        ref int active = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_activeConnections, (node, endpoints[chosen]), out _);
        active++;
        return NonServiceNewConnectionWork + _costs.IpvsLookup;
    }

    public SimTime TranslateNodePort(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen) =>
        TranslateNewConnection(node, service, endpoints, out chosen);

    public SimTime NonServiceNewConnectionWork => new(ConstantIptablesRules * _costs.IptablesPerRule.Nanoseconds);

    /// <summary>
    /// Every IPVS sync reconciles every virtual server and real server, partial or not (pkg/proxy/ipvs/proxier.go
    /// syncProxyRules walks svcPortMap whole; kubernetes#95881, #84906, #73382): linear in Services and endpoints.
    /// </summary>
    public SimTime SyncDuration(in SyncWork work) =>
        new(_catalog.Count * _costs.IpvsSyncPerService.Nanoseconds + _catalog.TotalEndpoints * _costs.IpvsSyncPerRealServer.Nanoseconds);

    public long NatRules(int node) => 0;

    public void ConnectionClosed(int node, Endpoint endpoint)
    {
        if (_activeConnections.TryGetValue((node, endpoint), out int active))
        {
            if (active <= 1) _activeConnections.Remove((node, endpoint));
            else _activeConnections[(node, endpoint)] = active - 1;
        }
    }

    private int NextInTurn(int node, int service, int endpoints)
    {
        ref int next = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_nextRoundRobin, (node, service), out _);
        int chosen = next % endpoints;
        next = chosen + 1;
        return chosen;
    }

    private int LeastConnected(int node, ReadOnlySpan<Endpoint> endpoints)
    {
        int best = 0;
        int fewest = int.MaxValue;
        for (int i = 0; i < endpoints.Length; i++)
        {
            int active = _activeConnections.GetValueOrDefault((node, endpoints[i]));
            if (active < fewest)
            {
                fewest = active;
                best = i;
            }
        }
        return best;
    }
}
