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
    private readonly SimTime _sync;
    private readonly System.Random _random;

    private MapLookupProxy(KubeProxyMode mode, SimTime lookup, SimTime sync, bool usesConntrack, System.Random random)
    {
        Mode = mode;
        _lookup = lookup;
        _sync = sync;
        UsesConntrack = usesConntrack;
        _random = random;
    }

    /// <summary>nftables mode: a verdict-map lookup per new connection, also for non-service destinations.</summary>
    public static MapLookupProxy Nftables(DataPlaneCosts costs, System.Random random) =>
        new(KubeProxyMode.Nftables, costs.NftablesLookup, costs.NftablesSync, usesConntrack: true, random);

    /// <summary>eBPF mode: translation at connect(), so non-service flows pay nothing and no nf_conntrack entry is made.</summary>
    public static MapLookupProxy Ebpf(DataPlaneCosts costs, System.Random random) =>
        new(KubeProxyMode.Ebpf, costs.EbpfLookup, costs.EbpfSync, usesConntrack: false, random);

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

    public SimTime SyncDuration(bool full, int changedServices) => _sync;

    public void ConnectionClosed(int node, Endpoint endpoint)
    {
    }
}
