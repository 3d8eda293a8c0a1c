using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Dns;

/// <summary>
/// Name lookups from pods, as glibc does them: the names of the <see cref="SearchPlan"/> in
/// turn, each an A and an AAAA query sent together from a new UDP socket, until one is answered.
/// Without NodeLocal DNSCache each pair goes to the kube-dns ClusterIP, translated by the client
/// node's <see cref="NodeNetfilter"/> to a CoreDNS pod (kube-dns is an ordinary Service of the
/// catalog, so churn and the node's synced rules apply); a pair that crossed nodes is a new flow
/// on the CoreDNS pod's node too, which walks its rules and makes its own UDP conntrack entry
/// (as the TCP SYN does); CoreDNS answers after its per-query CPU work, NXDOMAIN for every name
/// but the last. With the cache, pairs go to the node's own cache untranslated and untracked;
/// its misses in the cluster's zone go on to a CoreDNS pod over a kept-open TCP connection.
/// </summary>
/// <remarks>
/// <para>The two first packets of a tracked socket race at conntrack insertion; with the race
/// probability (<see cref="DnsOptions.EffectiveRaceProbability"/>) one of them is dropped
/// (weave#3287, kubernetes#56903).</para>
/// <para>Every lookup ends: each attempt arms the resolver's timeout (glibc <c>timeout:5</c>); an
/// attempt whose queries or answers are lost — dropped by the race, a full table, a link, or
/// sent to a CoreDNS pod that has restarted — is re-sent when it expires, and the lookup fails
/// after <see cref="DnsOptions.Attempts"/> attempts of one name. A retry whose server is gone is
/// translated afresh (kube-proxy flushes the UDP conntrack entries of removed endpoints,
/// pkg/proxy/conntrack/cleanup.go); otherwise it follows the flow's entry, with no race.</para>
/// <para>Not modelled: the upstream resolver outside the cluster that CoreDNS (<c>forward .
/// /etc/resolv.conf</c>) and the node cache (<c>forward . __PILLAR__UPSTREAM__SERVERS__</c>)
/// forward names outside the cluster's zone to; those answers cost only the forwarding pod's CPU.</para>
/// </remarks>
public sealed class DnsResolver : IEventTarget, IMessageSink
{
    private const int QueryBytes = 60;
    private const int AnswerBytes = 120;
    /// <summary>IPv4 + UDP header bytes.</summary>
    private const int HeaderBytes = 28;
    /// <summary>IPv4 + TCP header bytes plus DNS-over-TCP's 2-byte length prefix (RFC 7766).</summary>
    private const int TcpHeaderBytes = 42;
    private const ushort DnsPort = 53;

    private enum MessageKind
    {
        /// <summary>Pod to its server (a CoreDNS pod, or the node's cache).</summary>
        Query,
        /// <summary>Server to pod.</summary>
        Answer,
        /// <summary>Node cache to a CoreDNS pod, over TCP.</summary>
        Upstream,
        /// <summary>CoreDNS pod back to the node cache.</summary>
        UpstreamAnswer,
    }

    private enum EventKind
    {
        QueriesLeave,
        ResolverTimeout,
        Answered,
        AdmittedAtServerNode,
        UpstreamAnswered,
        CacheMissed,
    }

    private struct Lookup
    {
        public int ClientPod;
        public int ClientNode;
        public SearchPlan Plan;
        /// <summary>The name being tried: an index into <see cref="Plan"/>'s pairs.</summary>
        public int Pair;
        public Endpoint Server;
        public bool Admitted;
        public FlowTuple SeenByServer;
        public ConntrackEntryId ServerEntry;
        public SimTime StartedAt;
        public int AnswersPending;
        public int Attempts;
        public bool TimedOut;
        public bool Raced;
        /// <summary>Queries of this lookup that reached a CoreDNS pod.</summary>
        public int BackendQueries;
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
    private readonly Cpu[] _nodeCaches;
    private readonly SimTime _perQuery;
    private readonly double _raceProbability;
    private readonly SearchPlan _internalPlan;
    private readonly SearchPlan _externalPlan;
    private readonly System.Random _random;
    private readonly RecordPool<Lookup> _lookups = new();
    private long _windowLookups;
    private long _windowBackendQueries;

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
        _raceProbability = _options.EffectiveRaceProbability(cluster.Options.Kernel);
        // An internal name is a Service of the pod's own namespace ("backend"): the first search domain answers it.
        _internalPlan = SearchPlan.For(dots: 0, trailingDot: false, _options.Ndots, _options.SearchDomains, answeredBy: 0);
        _externalPlan = SearchPlan.For(_options.ExternalNameDots, trailingDot: false, _options.Ndots, _options.SearchDomains, SearchPlan.AbsoluteName);
        _nodeCaches = _options.NodeLocalCache
            ? [.. _nodes.Select(node => new Cpu($"node-{node.Index}/node-local-dns", _options.NodeLocalCacheCores))]
            : [];
        _forwarder = new Forwarder(_simulator);
        _random = _simulator.Random.Stream("dns");
    }

    /// <summary>The CoreDNS pods' cores, for utilisation reports.</summary>
    public IReadOnlyList<Cpu> CoreDnsCpus => _coreDns.Cpus;

    /// <summary>The names a lookup tries, each a new flow (an A and AAAA pair from a new socket), when every name before the answered one is NXDOMAIN.</summary>
    public int PairsPerLookup(bool external) => (external ? _externalPlan : _internalPlan).Pairs;

    /// <summary>Lookups started so far.</summary>
    public long Started { get; private set; }

    /// <summary>Lookups that ended, answered or failed.</summary>
    public long Finished { get; private set; }

    /// <summary>Lookups under way now.</summary>
    public int InFlight => _lookups.Count;

    /// <summary>Queries that reached a CoreDNS pod so far.</summary>
    public long BackendQueries { get; private set; }

    /// <summary>
    /// Queries that reached CoreDNS per lookup that ended, since <see cref="StartWindow"/>
    /// (a lookup's queries counted when it ends); 0 when none ended.
    /// </summary>
    public double BackendQueriesPerLookup => _windowLookups == 0 ? 0 : _windowBackendQueries / (double)_windowLookups;

    /// <summary>Starts the measurement window of <see cref="BackendQueriesPerLookup"/> and of the caches' cores.</summary>
    public void StartWindow(SimTime now)
    {
        _windowLookups = 0;
        _windowBackendQueries = 0;
        foreach (Cpu cpu in _coreDns.Cpus) cpu.StartWindow(now);
        foreach (Cpu cpu in _nodeCaches) cpu.StartWindow(now);
    }

    /// <summary>Starts a lookup from <paramref name="clientPod"/> now, of a Service name of its namespace or of an external name.</summary>
    public void Resolve(int clientPod, bool external)
    {
        int index = _lookups.Allocate();
        ref Lookup lookup = ref _lookups[index];
        lookup = default;
        lookup.ClientPod = clientPod;
        lookup.ClientNode = _pods.NodeOf(clientPod);
        lookup.Plan = external ? _externalPlan : _internalPlan;
        lookup.Server = Endpoint.None;
        lookup.ServerEntry = ConntrackEntryId.None;
        lookup.StartedAt = _simulator.Now;
        lookup.Timeout = EventHandle.None;
        Started++;
        _observer.ConnectionOffered(lookup.StartedAt);
        StartPair(index);
    }

    /// <summary>The next name of the plan: a new socket, so a new flow.</summary>
    private void StartPair(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        ReleaseServer(ref lookup);
        lookup.AnswersPending = 2;
        lookup.Attempts = 0;
        Attempt(index);
    }

    /// <summary>One attempt at the current name: a new socket's flow meets its way in; a retry re-sends the unanswered queries.</summary>
    private void Attempt(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        lookup.Attempts++;
        _simulator.Cancel(lookup.Timeout);
        lookup.Timeout = _simulator.ScheduleAfter(_options.ResolverTimeout, this, (int)EventKind.ResolverTimeout, Id(index));
        if (_options.NodeLocalCache)
        {
            // 169.254.20.10 is the node's own address: local delivery, NOTRACK, no DNAT, no race.
            SendQueries(index, lookup.AnswersPending);
            return;
        }
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
        ReleaseServer(ref lookup);
        lookup.Admitted = true;
        lookup.Server = verdict.Endpoint;
        lookup.SeenByServer = verdict.Translated;
        // The race needs both first packets of the socket inside one insertion window.
        lookup.Raced = _netfilter.Tracks && _random.NextDouble() < _raceProbability;
        SimTime done = _nodes[lookup.ClientNode].Cpu.Process(_simulator.Now, verdict.Work, Id(index));
        _simulator.Schedule(done, this, (int)EventKind.QueriesLeave, Id(index));
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        if (!TryResolve(argument, out int index)) return;
        ref Lookup lookup = ref _lookups[index];
        switch ((EventKind)kind)
        {
            case EventKind.QueriesLeave:
                // The race loses one of the two first packets at insertion (conntrack's insert_failed, not a full table).
                SendQueries(index, lookup.Raced ? lookup.AnswersPending - 1 : lookup.AnswersPending);
                break;
            case EventKind.ResolverTimeout:
                OnTimeout(index);
                break;
            case EventKind.AdmittedAtServerNode:
                AnswerAtCoreDns(index, MessageKind.Answer);
                break;
            case EventKind.Answered:
                Send(index, MessageKind.Answer);
                break;
            case EventKind.CacheMissed:
                Send(index, MessageKind.Upstream);
                break;
            case EventKind.UpstreamAnswered:
                Send(index, MessageKind.UpstreamAnswer);
                break;
        }
    }

    private void OnTimeout(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        lookup.TimedOut = true;
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
        for (int q = 0; q < queries; q++) Send(index, MessageKind.Query);
    }

    private void Send(int index, MessageKind kind)
    {
        ref Lookup lookup = ref _lookups[index];
        bool overTcp = kind is MessageKind.Upstream or MessageKind.UpstreamAnswer;
        var message = new Message
        {
            SizeBytes = (kind is MessageKind.Query or MessageKind.Upstream ? QueryBytes : AnswerBytes) + (overTcp ? TcpHeaderBytes : HeaderBytes),
            Packets = 1,
            Kind = (int)kind,
            Flow = Id(index),
            SentAt = _simulator.Now,
        };
        _forwarder.Send(RouteOf(lookup, kind), message, this);
    }

    private Route RouteOf(in Lookup lookup, MessageKind kind)
    {
        int client = lookup.ClientNode;
        if (_options.NodeLocalCache && kind is MessageKind.Query or MessageKind.Answer)
            return _fabric.PodToPod(client, client, samePod: false);
        int server = _pods.NodeOf(lookup.Server.Pod);
        bool samePod = kind is MessageKind.Query or MessageKind.Answer && lookup.Server.Pod == lookup.ClientPod;
        return kind is MessageKind.Query or MessageKind.Upstream
            ? _fabric.PodToPod(client, server, samePod)
            : _fabric.PodToPod(server, client, samePod);
    }

    /// <inheritdoc />
    public void OnDelivered(in Message message)
    {
        if (!TryResolve(message.Flow, out int index)) return;
        ref Lookup lookup = ref _lookups[index];
        switch ((MessageKind)message.Kind)
        {
            case MessageKind.Query when _options.NodeLocalCache:
                AtNodeCache(index);
                break;
            case MessageKind.Query:
                AtCoreDnsNode(index);
                break;
            case MessageKind.Upstream:
                // A CoreDNS pod that has restarted broke the cache's connection; the pod's resolver re-sends.
                if (_pods.IsCurrent(lookup.Server.Pod, lookup.Server.Generation)) AnswerAtCoreDns(index, MessageKind.UpstreamAnswer);
                break;
            case MessageKind.UpstreamAnswer:
                Send(index, MessageKind.Answer);
                break;
            case MessageKind.Answer:
                OnAnswer(index);
                break;
        }
    }

    /// <summary>
    /// A query reaches the CoreDNS pod's node. A flow that crossed nodes is new there: it walks
    /// the node's rules without a match and gets the node's own UDP conntrack entry, once.
    /// </summary>
    private void AtCoreDnsNode(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        // A query to a CoreDNS pod that has restarted is lost; the resolver's timeout re-sends it.
        if (!_pods.IsCurrent(lookup.Server.Pod, lookup.Server.Generation)) return;
        int serverNode = _pods.NodeOf(lookup.Server.Pod);
        if (!_netfilter.Tracks || serverNode == lookup.ClientNode || _nodes[serverNode].Conntrack.IsLive(_simulator.Now, lookup.ServerEntry))
        {
            AnswerAtCoreDns(index, MessageKind.Answer);
            return;
        }
        NetfilterVerdict verdict = _netfilter.Direct(serverNode, clientPod: -1, lookup.SeenByServer, masquerade: false, ConntrackState.UdpUnreplied);
        if (verdict.Dropped is DropCause cause)
        {
            _observer.Dropped(cause);
            lookup.LastDrop = cause;
            return;
        }
        lookup.ServerEntry = verdict.ConntrackEntry;
        _simulator.Schedule(_nodes[serverNode].Cpu.Process(_simulator.Now, verdict.Work, Id(index)), this, (int)EventKind.AdmittedAtServerNode, Id(index));
    }

    /// <summary>CoreDNS does one query's work and answers (NXDOMAIN for the names the plan passes over).</summary>
    private void AnswerAtCoreDns(int index, MessageKind answer)
    {
        ref Lookup lookup = ref _lookups[index];
        if (!_pods.IsCurrent(lookup.Server.Pod, lookup.Server.Generation)) return;
        BackendQueries++;
        lookup.BackendQueries++;
        SimTime answered = _coreDns.CpuOf(lookup.Server.Pod).Process(_simulator.Now, _perQuery);
        _simulator.Schedule(answered, this, (int)(answer == MessageKind.Answer ? EventKind.Answered : EventKind.UpstreamAnswered), Id(index));
    }

    /// <summary>
    /// The node's cache answers a hit, and any name outside the cluster's zone (it forwards
    /// those to the node's upstream, not to kube-dns); a miss in the zone goes to a CoreDNS pod
    /// over the cache's TCP connection (already open: no new flow, no rule walk).
    /// </summary>
    private void AtNodeCache(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        SimTime done = _nodeCaches[lookup.ClientNode].Process(_simulator.Now, _perQuery);
        int domain = lookup.Plan.SearchDomainOf(lookup.Pair);
        bool inClusterZone = domain is >= 0 and < SearchPlan.ClusterSearchDomains;
        if (!inClusterZone || _random.NextDouble() < _options.NodeLocalCacheHitRatio)
        {
            _simulator.Schedule(done, this, (int)EventKind.Answered, Id(index));
            return;
        }
        ReadOnlySpan<Endpoint> endpoints = _catalog.Endpoints(_catalog.KubeDns, _kubeProxies[lookup.ClientNode].SyncedVersion);
        if (endpoints.IsEmpty)
        {
            _observer.Dropped(DropCause.NoEndpoint);
            lookup.LastDrop = DropCause.NoEndpoint;
            return;
        }
        lookup.Server = endpoints[_random.Next(endpoints.Length)];
        _simulator.Schedule(done, this, (int)EventKind.CacheMissed, Id(index));
    }

    private void OnAnswer(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        if (lookup.AnswersPending == 0 || --lookup.AnswersPending > 0) return;
        if (++lookup.Pair < lookup.Plan.Pairs)
        {
            // NXDOMAIN for both: glibc tries the next name of its plan.
            StartPair(index);
            return;
        }
        _observer.DnsLookupCompleted(lookup.StartedAt, _simulator.Now - lookup.StartedAt, lookup.TimedOut);
        _observer.ConnectionCompleted(lookup.StartedAt);
        Release(index);
    }

    /// <inheritdoc />
    public void OnDropped(in Message message, HopDropReason reason, int hopIndex)
    {
        DropCause cause = HopDrops.Cause(reason);
        _observer.Dropped(cause);
        if (TryResolve(message.Flow, out int index)) _lookups[index].LastDrop = cause;
    }

    private long Id(int index) => _lookups.IdOf(index);

    private bool TryResolve(long id, out int index) => _lookups.TryResolve(id, out index);

    /// <summary>The socket is closed: the proxy's count of the endpoint's flows drops (IPVS lc).</summary>
    private void ReleaseServer(ref Lookup lookup)
    {
        if (lookup.Admitted) _proxy.ConnectionClosed(lookup.ClientNode, lookup.Server);
        lookup.Admitted = false;
        lookup.ServerEntry = ConntrackEntryId.None;
    }

    private void Release(int index)
    {
        ref Lookup lookup = ref _lookups[index];
        _simulator.Cancel(lookup.Timeout);
        ReleaseServer(ref lookup);
        Finished++;
        _windowLookups++;
        _windowBackendQueries += lookup.BackendQueries;
        _lookups.Release(index);
    }
}
