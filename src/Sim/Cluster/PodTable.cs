using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// Every pod of the cluster as parallel arrays indexed by pod number (no object per pod, so
/// 150,000 pods cost a few megabytes). A pod that restarts keeps its number and gets a new
/// IP and a new generation; an endpoint names (pod, generation), so a stale rule that still
/// points at the old incarnation is recognised as such.
/// </summary>
public sealed class PodTable
{
    private readonly int[] _node;
    private readonly IPv4Address[] _ip;
    private readonly int[] _generation;
    private readonly bool[] _ready;
    private readonly long[] _nextSlotOfNode;
    private readonly Ipv4Cidr[] _nodeCidr;
    private readonly long _usableSlots;
    private readonly Dictionary<IPv4Address, int> _byIp = new();

    public PodTable(ClusterOptions options)
    {
        int pods = options.Nodes * options.PodsPerNode;
        _node = new int[pods];
        _ip = new IPv4Address[pods];
        _generation = new int[pods];
        _ready = new bool[pods];
        _nextSlotOfNode = new long[options.Nodes];
        _nodeCidr = new Ipv4Cidr[options.Nodes];
        _usableSlots = PodAddressing.UsableAddresses(options.NodeCidrPrefix);
        for (int n = 0; n < options.Nodes; n++) _nodeCidr[n] = options.PodCidr.Subnet(options.NodeCidrPrefix, n);
        for (int p = 0; p < pods; p++)
        {
            _node[p] = p / options.PodsPerNode;
            AssignAddress(p);
            _ready[p] = true;
        }
    }

    public int Count => _node.Length;

    /// <summary>
    /// The k-th pod in spread order: consecutive k land on consecutive nodes, as the scheduler's
    /// default topology spreading places a Deployment's replicas. Wraps around after every pod.
    /// </summary>
    public int Spread(long k)
    {
        int nodes = _nodeCidr.Length;
        int podsPerNode = Count / nodes;
        long wrapped = k % Count;
        return (int)(wrapped % nodes) * podsPerNode + (int)(wrapped / nodes);
    }
    public int NodeOf(int pod) => _node[pod];
    public IPv4Address IpOf(int pod) => _ip[pod];
    public int GenerationOf(int pod) => _generation[pod];
    public bool IsReady(int pod) => _ready[pod];
    public Ipv4Cidr NodeCidr(int node) => _nodeCidr[node];

    /// <summary>
    /// <paramref name="replicas"/> pods evenly spaced over the pod list (so over the nodes),
    /// counted from the first pod, or from the last when <paramref name="fromTheEnd"/>: where
    /// the cluster's own components run. At most one per pod.
    /// </summary>
    public int[] EvenlySpaced(int replicas, bool fromTheEnd)
    {
        var pods = new int[Math.Min(replicas, Count)];
        for (int r = 0; r < pods.Length; r++)
        {
            int offset = (int)((long)r * Count / pods.Length);
            pods[r] = fromTheEnd ? Count - 1 - offset : offset;
        }
        return pods;
    }

    /// <summary>The pod that holds <paramref name="ip"/> now, if any.</summary>
    public bool TryFindByIp(IPv4Address ip, out int pod) => _byIp.TryGetValue(ip, out pod);

    /// <summary>Whether the incarnation <paramref name="generation"/> of <paramref name="pod"/> is the one running and ready.</summary>
    public bool IsCurrent(int pod, int generation) => _ready[pod] && _generation[pod] == generation;

    /// <summary>The pod stops: its IP is released and its generation ends.</summary>
    public void Stop(int pod)
    {
        _ready[pod] = false;
        _byIp.Remove(_ip[pod]);
        _generation[pod]++;
    }

    /// <summary>The pod is back, ready, with the next free address of its node.</summary>
    public void Start(int pod)
    {
        AssignAddress(pod);
        _ready[pod] = true;
    }

    private void AssignAddress(int pod)
    {
        int node = _node[pod];
        // host-local hands out the next address after the last one given, wrapping around;
        // skip addresses still held by pods of this node.
        IPv4Address ip;
        do
        {
            ip = PodAddressing.PodAddress(_nodeCidr[node], _nextSlotOfNode[node]);
            _nextSlotOfNode[node] = (_nextSlotOfNode[node] + 1) % _usableSlots;
        } while (_byIp.ContainsKey(ip));
        _ip[pod] = ip;
        _byIp[ip] = pod;
    }
}
