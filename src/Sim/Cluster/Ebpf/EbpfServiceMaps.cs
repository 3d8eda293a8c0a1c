using ClusterNetPerf.Sim.Cluster.ControlPlane;

namespace ClusterNetPerf.Sim.Cluster.Ebpf;

/// <summary>
/// Which Services Cilium's LB maps hold. Each ClusterIP or NodePort Service takes
/// endpoints × port/protocol entries of the services map (cilium_lb4_services_v2), and each
/// distinct backend one entry of the backends map; both hold at most --bpf-lb-map-max entries
/// (Documentation/network/ebpf/maps.rst, "Service LB Map Sizing": LB map entries ≈ Services ×
/// endpoints per Service × ports per Service). A Service that does not fit is not programmed:
/// the agent fails to reconcile it and flows to its ClusterIP find no translation.
/// </summary>
/// <remarks>
/// Programmed in the order the Services were created: the cluster's own (kube-dns, the ingress
/// controllers' LoadBalancer) first, then the workload's by index. Sized once from the
/// catalog's first version: pod churn replaces endpoints one for one, so the counts stay put.
/// </remarks>
public sealed class EbpfServiceMaps
{
    private readonly bool[] _programmed;

    public EbpfServiceMaps(ServiceCatalog catalog, long lbMapMax)
    {
        _programmed = new bool[catalog.Count];
        var backends = new HashSet<Endpoint>();
        var order = new List<int>(catalog.Count);
        for (int s = catalog.WorkloadServices; s < catalog.Count; s++) order.Add(s);
        for (int s = 0; s < catalog.WorkloadServices; s++) order.Add(s);
        foreach (int service in order)
        {
            ReadOnlySpan<Endpoint> endpoints = catalog.Endpoints(service, 0);
            int newBackends = 0;
            foreach (Endpoint endpoint in endpoints)
                if (!backends.Contains(endpoint)) newBackends++;
            if (ServiceEntries + endpoints.Length > lbMapMax || backends.Count + newBackends > lbMapMax)
            {
                NotProgrammed++;
                continue;
            }
            _programmed[service] = true;
            ServiceEntries += endpoints.Length;
            foreach (Endpoint endpoint in endpoints) backends.Add(endpoint);
        }
        BackendEntries = backends.Count;
    }

    /// <summary>Entries of the services map (Σ endpoints × ports over the programmed Services).</summary>
    public long ServiceEntries { get; private set; }
    /// <summary>Entries of the backends map (distinct backends of the programmed Services).</summary>
    public long BackendEntries { get; }
    /// <summary>Services left out for want of room.</summary>
    public int NotProgrammed { get; private set; }

    /// <summary>Whether <paramref name="service"/> has its entries in the maps.</summary>
    public bool IsProgrammed(int service) => _programmed[service];
}
