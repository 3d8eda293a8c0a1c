using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>
/// A mode that translates with one map lookup whatever the number of services, choosing the
/// endpoint uniformly: nftables (a verdict map; nftables blog, 2025-02-28) and eBPF (service
/// maps at the socket or tc layer, Cilium kube-proxy replacement). They differ in their costs
/// and in whether netfilter conntrack sees the flow.
/// </summary>
public sealed class MapLookupProxy : IServiceProxy
{
    private readonly SimTime _lookup;
    private readonly ServiceCatalog _catalog;
    private readonly DataPlaneCosts _costs;
    private readonly System.Random _random;

    private MapLookupProxy(KubeProxyMode mode, SimTime lookup, bool usesConntrack, ServiceCatalog catalog, DataPlaneCosts costs, System.Random random)
    {
        Mode = mode;
        _lookup = lookup;
        UsesConntrack = usesConntrack;
        _catalog = catalog;
        _costs = costs;
        _random = random;
    }

    /// <summary>nftables mode: a verdict-map lookup per new connection, also for non-service destinations.</summary>
    public static MapLookupProxy Nftables(ServiceCatalog catalog, DataPlaneCosts costs, System.Random random) =>
        new(KubeProxyMode.Nftables, costs.NftablesLookup, usesConntrack: true, catalog, costs, random);

    /// <summary>eBPF mode: translation at connect(), so non-service flows pay nothing and no nf_conntrack entry is made.</summary>
    public static MapLookupProxy Ebpf(ServiceCatalog catalog, DataPlaneCosts costs, System.Random random) =>
        new(KubeProxyMode.Ebpf, costs.EbpfLookup, usesConntrack: false, catalog, costs, random);

    public KubeProxyMode Mode { get; }
    public bool UsesConntrack { get; }

    public SimTime TranslateNewConnection(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen)
    {
        chosen = _random.Next(endpoints.Length);
        return _lookup;
    }

    public SimTime TranslateNodePort(int node, int service, ReadOnlySpan<Endpoint> endpoints, out int chosen) =>
        TranslateNewConnection(node, service, endpoints, out chosen);

    public SimTime NonServiceNewConnectionWork => UsesConntrack ? _lookup : SimTime.Zero;

    /// <summary>
    /// nftables (pkg/proxy/nftables/proxier.go): ListAll of the whole table on every sync (#139513), then a partial
    /// transaction for the changed Services (PR #126013) or, on a full sync, the whole table re-emitted, which grows
    /// faster than linearly (#135639, #139513). eBPF (Cilium): map updates for the changed Services only, a full
    /// sync being a rewrite of every Service's entries.
    /// </summary>
    public SimTime SyncDuration(in SyncWork work)
    {
        long services = _catalog.Count;
        long endpoints = _catalog.TotalEndpoints;
        long changed = work.Full ? services : Math.Min(work.ChangedServices, services);
        double endpointsPerService = services == 0 ? 0 : (double)endpoints / services;
        if (Mode == KubeProxyMode.Ebpf)
            return new SimTime((long)(changed * (_costs.EbpfPerChangedService.Nanoseconds + endpointsPerService * _costs.EbpfPerBackend.Nanoseconds)));
        long listNs = (services + endpoints) * _costs.NftablesListPerObject.Nanoseconds;
        long writeNs = work.Full
            ? services * services * _costs.NftablesFullPerServiceSquared.Nanoseconds + endpoints * _costs.NftablesFullPerEndpoint.Nanoseconds
            : changed * _costs.NftablesPerChangedService.Nanoseconds;
        return new SimTime(listNs + writeNs);
    }

    public long NatRules(int node) => 0;

    public void ConnectionClosed(int node, Endpoint endpoint)
    {
    }
}
