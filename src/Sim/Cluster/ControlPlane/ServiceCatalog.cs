using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.ControlPlane;

/// <summary>
/// The API server's view of Services and their endpoints, versioned. Every change makes a new
/// version; a node's rules are "the catalog as of the version it has synced", so the table
/// exists once however many nodes there are, and a node that has not synced yet still sends
/// connections to endpoints that are gone.
/// </summary>
/// <remarks>
/// <para>The workload's Services come first (0 … <see cref="WorkloadServices"/> − 1); the
/// cluster's own Services follow as ordinary entries — kube-dns (<see cref="KubeDns"/>) and the
/// ingress controllers' Service (<see cref="IngressControllers"/>) — so churn, staleness, sync
/// and the rule walk apply to them as to any other.</para>
/// <para>Each service keeps a short history of endpoint sets; looking up a set as of a version walks
/// that history from the newest, so it costs O(changes to this service not yet synced by
/// the asking node), usually one step. History no node needs any more is pruned.</para>
/// </remarks>
public sealed class ServiceCatalog
{
    private readonly record struct Snapshot(long Version, Endpoint[] Endpoints);

    private readonly List<Snapshot>[] _history;
    private readonly HashSet<int> _servicesWithHistory = [];
    private readonly List<long> _changeTimes = [0];
    private readonly List<int> _changedService = [-1];
    private readonly int[] _seenStamp;
    private int _stamp;
    private readonly int[] _podServiceStart;
    private readonly int[] _podServices;

    /// <param name="services">Number of the workload's ClusterIP services.</param>
    /// <param name="endpointsPerService">Backends of each; service s takes pods s·E, s·E+1, … in <see cref="PodTable.Spread"/> order, so each service's endpoints sit on different nodes and services share pods evenly.</param>
    /// <param name="pods">The cluster's pods.</param>
    /// <param name="port">The port every service listens on.</param>
    /// <param name="kubeDnsPods">The CoreDNS pods behind kube-dns.</param>
    /// <param name="ingressControllerPods">The ingress controller pods behind their LoadBalancer Service.</param>
    public ServiceCatalog(int services, int endpointsPerService, PodTable pods, ushort port,
        IReadOnlyList<int> kubeDnsPods, IReadOnlyList<int> ingressControllerPods)
    {
        Port = port;
        WorkloadServices = services;
        _history = new List<Snapshot>[services + SystemServices];
        _seenStamp = new int[services + SystemServices];
        var servicesOfPod = new List<int>[pods.Count];
        for (int s = 0; s < services; s++)
        {
            var backends = new int[endpointsPerService];
            for (int j = 0; j < endpointsPerService; j++) backends[j] = pods.Spread((long)s * endpointsPerService + j);
            AddService(s, backends, pods, servicesOfPod);
        }
        AddService(KubeDns, kubeDnsPods, pods, servicesOfPod);
        AddService(IngressControllers, ingressControllerPods, pods, servicesOfPod);
        _podServiceStart = new int[pods.Count + 1];
        var flat = new List<int>();
        for (int p = 0; p < pods.Count; p++)
        {
            _podServiceStart[p] = flat.Count;
            if (servicesOfPod[p] is { } list) flat.AddRange(list);
        }
        _podServiceStart[pods.Count] = flat.Count;
        _podServices = flat.ToArray();
    }

    /// <summary>The cluster's own Services after the workload's: kube-dns and the ingress controllers.</summary>
    public const int SystemServices = 2;

    private void AddService(int service, IReadOnlyList<int> backends, PodTable pods, List<int>[] servicesOfPod)
    {
        var endpoints = new Endpoint[backends.Count];
        for (int j = 0; j < endpoints.Length; j++)
        {
            int pod = backends[j];
            endpoints[j] = new Endpoint(pod, pods.GenerationOf(pod));
            (servicesOfPod[pod] ??= []).Add(service);
        }
        _history[service] = [new Snapshot(0, endpoints)];
        TotalEndpoints += endpoints.Length;
    }

    /// <summary>kube-dns's ClusterIP: by convention the tenth address of kube-apiserver's default service CIDR, 10.96.0.0/12.</summary>
    public static readonly IPv4Address KubeDnsIp = IPv4Address.Parse("10.96.0.10");

    /// <summary>The first ClusterIP of the workload's services (after kube-dns and the ingress Service).</summary>
    public static readonly IPv4Address FirstClusterIp = KubeDnsIp + SystemServices;

    /// <summary>Every Service, the cluster's own included: the rules kube-proxy writes.</summary>
    public int Count => _history.Length;

    /// <summary>The workload's Services, 0 … WorkloadServices − 1.</summary>
    public int WorkloadServices { get; }

    /// <summary>The kube-dns Service (CoreDNS pods).</summary>
    public int KubeDns => WorkloadServices;

    /// <summary>The ingress controllers' Service.</summary>
    public int IngressControllers => WorkloadServices + 1;
    public ushort Port { get; }

    /// <summary>The newest version; 0 before any change.</summary>
    public long CurrentVersion => _changeTimes.Count - 1;

    /// <summary>When version <paramref name="version"/> was made at the API server.</summary>
    public SimTime ChangeTime(long version) => new(_changeTimes[(int)version]);

    public IPv4Address ClusterIp(int service) =>
        service < WorkloadServices ? FirstClusterIp + (uint)service : KubeDnsIp + (uint)(service - WorkloadServices);

    /// <summary>The services pod <paramref name="pod"/> backs.</summary>
    public ReadOnlySpan<int> ServicesOf(int pod) =>
        _podServices.AsSpan(_podServiceStart[pod], _podServiceStart[pod + 1] - _podServiceStart[pod]);

    /// <summary>The endpoints of <paramref name="service"/> as of <paramref name="version"/>.</summary>
    public ReadOnlySpan<Endpoint> Endpoints(int service, long version)
    {
        List<Snapshot> history = _history[service];
        for (int i = history.Count - 1; i >= 0; i--)
            if (history[i].Version <= version) return history[i].Endpoints;
        throw new InvalidOperationException($"Version {version} of service {service} was pruned.");
    }

    /// <summary>Endpoints over all services, the cluster's own included, as of the current version (the rule count grows with it).</summary>
    public long TotalEndpoints { get; private set; }

    /// <summary>Replaces the endpoint set of <paramref name="service"/>, making a new version.</summary>
    public long SetEndpoints(SimTime now, int service, Endpoint[] endpoints)
    {
        _changeTimes.Add(now.Nanoseconds);
        _changedService.Add(service);
        long version = CurrentVersion;
        List<Snapshot> history = _history[service];
        TotalEndpoints += endpoints.Length - history[^1].Endpoints.Length;
        history.Add(new Snapshot(version, endpoints));
        _servicesWithHistory.Add(service);
        return version;
    }

    /// <summary>
    /// Distinct Services changed by the versions after <paramref name="after"/> up to <paramref name="upTo"/>: what a
    /// sync from one to the other rewrites. O(versions between), no allocation (a stamp per Service, shared).
    /// </summary>
    public int CountChangedServices(long after, long upTo)
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seenStamp);
            _stamp = 1;
        }
        int distinct = 0;
        for (long version = after + 1; version <= upTo; version++)
        {
            int service = _changedService[(int)version];
            if (_seenStamp[service] == _stamp) continue;
            _seenStamp[service] = _stamp;
            distinct++;
        }
        return distinct;
    }

    /// <summary>Forgets endpoint sets no node at or after <paramref name="oldestVersionInUse"/> can see.</summary>
    public void Prune(long oldestVersionInUse)
    {
        _servicesWithHistory.RemoveWhere(service => PruneService(_history[service], oldestVersionInUse));
    }

    /// <returns>True when only the current snapshot is left.</returns>
    private static bool PruneService(List<Snapshot> history, long oldestVersionInUse)
    {
        int keepFrom = 0;
        for (int i = history.Count - 1; i > 0; i--)
        {
            if (history[i].Version <= oldestVersionInUse)
            {
                keepFrom = i;
                break;
            }
        }
        if (keepFrom > 0) history.RemoveRange(0, keepFrom);
        return history.Count == 1;
    }
}
