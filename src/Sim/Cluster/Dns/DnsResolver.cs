using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Dns;

/// <summary>
/// Name lookups from pods to cluster DNS, as glibc does them: an A and an AAAA query sent
/// together from one UDP socket to the kube-dns ClusterIP, DNATed on the client's node to a
/// CoreDNS pod, answered after the pod's per-query CPU work. The two first packets of one
/// socket race at conntrack insertion; with the configured probability one of them is
/// dropped and the resolver re-sends it only after its timeout (5 s), which is the long tail
/// seen in clusters (weave#3287, kubernetes#56903).
/// </summary>
/// <remarks>
/// kube-dns is taken to be the first rule of KUBE-SERVICES (its position in a real ruleset is
/// arbitrary). The lookup's flow gets one UDP conntrack entry on the client's node.
/// </remarks>
public sealed class DnsResolver : IEventTarget, IMessageSink
{
    private const int QueryBytes = 60;
    private const int AnswerBytes = 120;
    /// <summary>IPv4 + UDP header bytes.</summary>
    private const int HeaderBytes = 28;
    private const ushort DnsPort = 53;

    private enum EventKind
    {
        QueriesLeave,
        ResolverTimeout,
        Answered,
    }

    private struct Lookup
    {
        public int ClientPod;
        public int ClientNode;
        public Endpoint Server;
        public SimTime StartedAt;
        public int AnswersPending;
        public int Attempts;
        public bool Raced;
    }

    private readonly Simulator _simulator;
    private readonly DnsOptions _options;
    private readonly DataPlaneCosts _costs;
    private readonly PodTable _pods;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly IReadOnlyList<KubeProxy> _kubeProxies;
    private readonly IServiceProxy _proxy;
    private readonly Fabric _fabric;
    private readonly Forwarder _forwarder;
    private readonly IDataPlaneObserver _observer;
    private readonly Endpoint[] _coreDns;
    private readonly Cpu[] _coreDnsCpus;
    private readonly System.Random _random;
    private readonly RecordPool<Lookup> _lookups = new();

    public DnsResolver(Simulator simulator, DnsOptions options, DataPlaneCosts costs, PodTable pods, IReadOnlyList<Node> nodes,
        IReadOnlyList<KubeProxy> kubeProxies, IServiceProxy proxy, Fabric fabric, IDataPlaneObserver observer)
    {
        _simulator = simulator;
        _options = options;
        _costs = costs;
        _pods = pods;
        _nodes = nodes;
        _kubeProxies = kubeProxies;
        _proxy = proxy;
        _fabric = fabric;
        _observer = observer;
        _forwarder = new Forwarder(simulator);
        _random = simulator.Random.Stream("dns");
        int replicas = Math.Min(options.CoreDnsReplicas, pods.Count);
        _coreDns = new Endpoint[replicas];
        _coreDnsCpus = new Cpu[replicas];
        for (int r = 0; r < replicas; r++)
        {
            int pod = (int)((long)r * pods.Count / replicas);
            _coreDns[r] = new Endpoint(pod, pods.GenerationOf(pod));
            _coreDnsCpus[r] = new Cpu($"coredns-{r}", options.CoresPerReplica);
        }
    }

    /// <summary>The kube-dns ClusterIP, by convention the tenth address of the service CIDR.</summary>
    public static readonly IPv4Address KubeDnsIp = IPv4Address.Parse("10.96.0.10");

    /// <summary>The CoreDNS pods' cores, for utilisation reports.</summary>
    public IReadOnlyList<Cpu> CoreDnsCpus => _coreDnsCpus;

    /// <summary>Starts a lookup (A and AAAA) from <paramref name="clientPod"/> now.</summary>
    public void Resolve(int clientPod)
    {
        int index = _lookups.Allocate();
        ref Lookup lookup = ref _lookups[index];
        lookup.ClientPod = clientPod;
        lookup.ClientNode = _pods.NodeOf(clientPod);
        lookup.StartedAt = _simulator.Now;
        lookup.Attempts = 0;
        lookup.Raced = false;
        _observer.ConnectionOffered(lookup.StartedAt);

        // The first packet of the socket's flow: service translation and a UDP conntrack entry.
        SimTime work = _proxy.TranslateNewConnection(lookup.ClientNode, service: 0, _coreDns, out int chosen);
        lookup.Server = _coreDns[chosen];
        if (_proxy.UsesConntrack)
        {
            var original = new FlowTuple(_pods.IpOf(clientPod), (ushort)(32768 + _random.Next(28232)), KubeDnsIp, DnsPort, IpProtocol.Udp);
            var reply = new FlowTuple(_pods.IpOf(lookup.Server.Pod), DnsPort, original.SourceIp, original.SourcePort, IpProtocol.Udp);
            if (_nodes[lookup.ClientNode].Conntrack.TryInsert(_simulator.Now, original, reply, ConntrackState.UdpUnreplied, out _) == ConntrackInsertResult.TableFull)
            {
                _observer.Dropped(DropCause.ConntrackFull);
                lookup.AnswersPending = 2;
                ArmTimeout(index);
                return;
            }
            work += _costs.ConntrackInsert;
            lookup.Raced = _random.NextDouble() < _options.RaceProbability;
        }
        SimTime done = _nodes[lookup.ClientNode].Cpu.Process(_simulator.Now, work);
        _simulator.Schedule(done, this, (int)EventKind.QueriesLeave, Id(index));
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        if (!TryResolve(argument, out int index)) return;
        switch ((EventKind)kind)
        {
            case EventKind.QueriesLeave:
                SendQueries(index, queries: _lookups[index].Raced ? 1 : 2);
                _lookups[index].AnswersPending = 2;
                if (_lookups[index].Raced) ArmTimeout(index);
                break;
            case EventKind.ResolverTimeout:
                OnTimeout(index);
                break;
            case EventKind.Answered:
                Send(index, AnswerBytes, toClient: true);
                break;
        }
    }

    private void OnTimeout(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        if (lookup.AnswersPending == 0) return;
        if (lookup.Attempts >= _options.Attempts)
        {
            _observer.ConnectionFailed(lookup.StartedAt, DropCause.ConntrackFull);
            Release(index);
            return;
        }
        // The retry goes out on the existing flow: conntrack has the entry now, no race.
        SendQueries(index, queries: lookup.AnswersPending);
    }

    private void ArmTimeout(int index)
    {
        _lookups[index].Attempts++;
        _simulator.ScheduleAfter(_options.ResolverTimeout, this, (int)EventKind.ResolverTimeout, Id(index));
    }

    private void SendQueries(int index, int queries)
    {
        for (int q = 0; q < queries; q++) Send(index, QueryBytes, toClient: false);
    }

    private void Send(int index, int payloadBytes, bool toClient)
    {
        ref Lookup lookup = ref _lookups[index];
        int serverNode = _pods.NodeOf(lookup.Server.Pod);
        var message = new Message
        {
            SizeBytes = payloadBytes + HeaderBytes,
            Packets = 1,
            Kind = toClient ? 1 : 0,
            Flow = Id(index),
            SentAt = _simulator.Now,
        };
        Route route = toClient
            ? _fabric.PodToPod(serverNode, lookup.ClientNode, lookup.Server.Pod == lookup.ClientPod)
            : _fabric.PodToPod(lookup.ClientNode, serverNode, lookup.Server.Pod == lookup.ClientPod);
        _forwarder.Send(route, message, this);
    }

    public void OnDelivered(in Message message)
    {
        if (!TryResolve(message.Flow, out int index)) return;
        ref Lookup lookup = ref _lookups[index];
        if (message.Kind == 0)
        {
            int replica = Array.IndexOf(_coreDns, lookup.Server);
            if (replica < 0 || !_pods.IsCurrent(lookup.Server.Pod, lookup.Server.Generation)) return;
            SimTime answered = _coreDnsCpus[replica].Process(_simulator.Now, _costs.DnsPerQuery);
            _simulator.Schedule(answered, this, (int)EventKind.Answered, message.Flow);
            return;
        }
        if (--lookup.AnswersPending > 0) return;
        _observer.DnsLookupCompleted(lookup.StartedAt, _simulator.Now - lookup.StartedAt, lookup.Raced);
        _observer.ConnectionCompleted(lookup.StartedAt);
        Release(index);
    }

    public void OnDropped(in Message message, HopDropReason reason, int hopIndex) => _observer.Dropped(HopDrops.Cause(reason));

    private long Id(int index) => _lookups.IdOf(index);

    private bool TryResolve(long id, out int index) => _lookups.TryResolve(id, out index);

    private void Release(int index) => _lookups.Release(index);
}
