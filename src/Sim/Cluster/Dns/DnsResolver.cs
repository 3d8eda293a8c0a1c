using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Dns;

/// <summary>
/// Name lookups from pods to cluster DNS, as glibc does them: an A and an AAAA query sent
/// together from one UDP socket to the kube-dns ClusterIP, translated by the client node's
/// <see cref="NodeNetfilter"/> to a CoreDNS pod (kube-dns is an ordinary Service of the
/// catalog, so churn and the node's synced rules apply), answered after the pod's per-query
/// CPU work. The two first packets of one socket race at conntrack insertion; with the
/// configured probability one of them is dropped (weave#3287, kubernetes#56903).
/// </summary>
/// <remarks>
/// Every lookup ends: each attempt arms the resolver's timeout (glibc <c>timeout:5</c>); an
/// attempt whose queries or answers are lost — dropped by the race, a full table, a link, or
/// sent to a CoreDNS pod that has restarted — is re-sent when it expires, and the lookup fails
/// after <see cref="DnsOptions.Attempts"/> attempts. A retry whose server is gone is translated
/// afresh (kube-proxy flushes the UDP conntrack entries of removed endpoints,
/// pkg/proxy/conntrack/cleanup.go); otherwise it follows the flow's entry, with no race.
/// </remarks>
public sealed class DnsResolver : IEventTarget, IMessageSink
{
    private const int QueryBytes = 60;
    private const int AnswerBytes = 120;
    /// <summary>IPv4 + UDP header bytes.</summary>
    private const int HeaderBytes = 28;
    private const ushort DnsPort = 53;
    private const int Query = 0;
    private const int Answer = 1;

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
        public bool Admitted;
        public SimTime StartedAt;
        public int AnswersPending;
        public int Attempts;
        public bool Raced;
        public EventHandle Timeout;
        public DropCause LastDrop;
    }

    private readonly Simulator _simulator;
    private readonly DnsOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly IReadOnlyList<KubeProxy> _kubeProxies;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly NodeNetfilter _netfilter;
    private readonly IServiceProxy _proxy;
    private readonly PodSourcePorts _sourcePorts;
    private readonly Fabric _fabric;
    private readonly Forwarder _forwarder;
    private readonly IDataPlaneObserver _observer;
    private readonly ServingPods _coreDns;
    private readonly SimTime _perQuery;
    private readonly System.Random _random;
    private readonly RecordPool<Lookup> _lookups = new();

    public DnsResolver(ClusterModel cluster, NodeNetfilter netfilter, PodSourcePorts sourcePorts, ServingPods coreDns, IDataPlaneObserver observer)
    {
        _simulator = cluster.Simulator;
        _options = cluster.Options.Dns;
        _pods = cluster.Pods;
        _catalog = cluster.Catalog;
        _kubeProxies = cluster.KubeProxies;
        _nodes = cluster.Nodes;
        _netfilter = netfilter;
        _proxy = cluster.Proxy;
        _sourcePorts = sourcePorts;
        _fabric = cluster.Fabric;
        _observer = observer;
        _coreDns = coreDns;
        _perQuery = cluster.Options.Costs.DnsPerQuery;
        _forwarder = new Forwarder(_simulator);
        _random = _simulator.Random.Stream("dns");
    }

    /// <summary>The CoreDNS pods' cores, for utilisation reports.</summary>
    public IReadOnlyList<Cpu> CoreDnsCpus => _coreDns.Cpus;

    /// <summary>Lookups started so far.</summary>
    public long Started { get; private set; }

    /// <summary>Lookups that ended, answered or failed.</summary>
    public long Finished { get; private set; }

    /// <summary>Lookups under way now.</summary>
    public int InFlight => _lookups.Count;

    /// <summary>Starts a lookup (A and AAAA) from <paramref name="clientPod"/> now.</summary>
    public void Resolve(int clientPod)
    {
        int index = _lookups.Allocate();
        ref Lookup lookup = ref _lookups[index];
        lookup = default;
        lookup.ClientPod = clientPod;
        lookup.ClientNode = _pods.NodeOf(clientPod);
        lookup.Server = Endpoint.None;
        lookup.StartedAt = _simulator.Now;
        lookup.AnswersPending = 2;
        lookup.Timeout = EventHandle.None;
        Started++;
        _observer.ConnectionOffered(lookup.StartedAt);
        Attempt(index);
    }

    /// <summary>One attempt: a new socket's flow meets the node's netfilter; a retry re-sends the unanswered queries.</summary>
    private void Attempt(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        lookup.Attempts++;
        _simulator.Cancel(lookup.Timeout);
        lookup.Timeout = _simulator.ScheduleAfter(_options.ResolverTimeout, this, (int)EventKind.ResolverTimeout, Id(index));
        if (lookup.Admitted && _pods.IsCurrent(lookup.Server.Pod, lookup.Server.Generation))
        {
            SendQueries(index, lookup.AnswersPending);
            return;
        }
        var original = new FlowTuple(_pods.IpOf(lookup.ClientPod), _sourcePorts.Next(lookup.ClientPod), ServiceCatalog.KubeDnsIp, DnsPort, IpProtocol.Udp);
        NetfilterVerdict verdict = _netfilter.ToService(lookup.ClientNode, lookup.ClientPod, original, _catalog.KubeDns,
            _catalog.Endpoints(_catalog.KubeDns, _kubeProxies[lookup.ClientNode].SyncedVersion), DnsPort, atNodePort: false, ConntrackState.UdpUnreplied);
        if (verdict.Dropped is DropCause cause)
        {
            _observer.Dropped(cause);
            lookup.LastDrop = cause;
            return;
        }
        if (lookup.Admitted) _proxy.ConnectionClosed(lookup.ClientNode, lookup.Server);
        lookup.Admitted = true;
        lookup.Server = verdict.Endpoint;
        // The race needs both first packets of the socket inside one insertion window.
        lookup.Raced = _netfilter.Tracks && _random.NextDouble() < _options.RaceProbability;
        SimTime done = _nodes[lookup.ClientNode].Cpu.Process(_simulator.Now, verdict.Work);
        _simulator.Schedule(done, this, (int)EventKind.QueriesLeave, Id(index));
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        if (!TryResolve(argument, out int index)) return;
        switch ((EventKind)kind)
        {
            case EventKind.QueriesLeave:
                // The race loses one of the two first packets at insertion (conntrack's insert_failed, not a full table).
                ref Lookup lookup = ref _lookups[index];
                SendQueries(index, lookup.Raced ? lookup.AnswersPending - 1 : lookup.AnswersPending);
                break;
            case EventKind.ResolverTimeout:
                OnTimeout(index);
                break;
            case EventKind.Answered:
                Send(index, AnswerBytes, Answer);
                break;
        }
    }

    private void OnTimeout(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        if (lookup.Attempts < _options.Attempts)
        {
            Attempt(index);
            return;
        }
        _observer.ConnectionFailed(lookup.StartedAt, lookup.LastDrop);
        Release(index);
    }

    private void SendQueries(int index, int queries)
    {
        for (int q = 0; q < queries; q++) Send(index, QueryBytes, Query);
    }

    private void Send(int index, int payloadBytes, int kind)
    {
        ref Lookup lookup = ref _lookups[index];
        int serverNode = _pods.NodeOf(lookup.Server.Pod);
        bool samePod = lookup.Server.Pod == lookup.ClientPod;
        var message = new Message
        {
            SizeBytes = payloadBytes + HeaderBytes,
            Packets = 1,
            Kind = kind,
            Flow = Id(index),
            SentAt = _simulator.Now,
        };
        Route route = kind == Answer
            ? _fabric.PodToPod(serverNode, lookup.ClientNode, samePod)
            : _fabric.PodToPod(lookup.ClientNode, serverNode, samePod);
        _forwarder.Send(route, message, this);
    }

    /// <inheritdoc />
    public void OnDelivered(in Message message)
    {
        if (!TryResolve(message.Flow, out int index)) return;
        ref Lookup lookup = ref _lookups[index];
        if (message.Kind == Query)
        {
            // A query to a CoreDNS pod that has restarted is lost; the resolver's timeout re-sends it.
            if (!_pods.IsCurrent(lookup.Server.Pod, lookup.Server.Generation)) return;
            SimTime answered = _coreDns.CpuOf(lookup.Server.Pod).Process(_simulator.Now, _perQuery);
            _simulator.Schedule(answered, this, (int)EventKind.Answered, message.Flow);
            return;
        }
        if (lookup.AnswersPending == 0 || --lookup.AnswersPending > 0) return;
        _observer.DnsLookupCompleted(lookup.StartedAt, _simulator.Now - lookup.StartedAt, timedOut: lookup.Attempts > 1);
        _observer.ConnectionCompleted(lookup.StartedAt);
        Release(index);
    }

    /// <inheritdoc />
    public void OnDropped(in Message message, DropCause cause, int hopIndex)
    {
        _observer.Dropped(cause);
        if (TryResolve(message.Flow, out int index)) _lookups[index].LastDrop = cause;
    }

    private long Id(int index) => _lookups.IdOf(index);

    private bool TryResolve(long id, out int index) => _lookups.TryResolve(id, out index);

    private void Release(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        _simulator.Cancel(lookup.Timeout);
        if (lookup.Admitted) _proxy.ConnectionClosed(lookup.ClientNode, lookup.Server);
        Finished++;
        _lookups.Release(index);
    }
}
