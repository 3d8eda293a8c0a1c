using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>
/// TCP connections at message granularity, on every path of <see cref="ConnectionKind"/>: the
/// handshake (with SYN retransmission), request/response exchanges, then close. The first
/// packet of a connection is where rules are walked, NAT is decided and conntrack entries are
/// made, on each node it crosses; later packets follow conntrack.
/// </summary>
/// <remarks>
/// <para>Where the translation happens: on the client's node for connections from pods (its
/// first hop), and on the node the load balancer picked for connections from the Internet,
/// when the SYN gets there; the rest of the route depends on the endpoint chosen, so the SYN
/// is delivered to that node, translated, and sent on.</para>
/// <para>Connection state lives in a <see cref="RecordPool{T}"/> addressed by the event
/// argument and the message flow id, so a late message of a finished connection is
/// recognised and ignored. The simulator's own work per connection is O(1) in services and
/// endpoints (except IPVS lc, as in the kernel).</para>
/// <para>Timing (Linux defaults): the SYN retransmission timeout starts at 1 s and doubles,
/// tcp_syn_retries = 6; data is retransmitted after TCP_RTO_MIN = 200 ms. A packet the node
/// cannot NAT (no source port) or the gateway cannot map is dropped and the SYN retransmitted,
/// as the kernel and cloud gateways do.</para>
/// </remarks>
public sealed class ConnectionEngine : IEventTarget, IMessageSink
{
    private enum EventKind
    {
        SynLeavesClient,
        SynTimeout,
        EntryTranslated,
        ServerAccepted,
        ServerResponds,
        ControllerForwards,
        GatewayIdleTimeout,
        Retransmit,
    }

    private enum MessageKind
    {
        Syn,
        SynToEntry,
        SynAck,
        Request,
        Response,
        UpstreamRequest,
        UpstreamResponse,
    }

    private enum Phase : byte
    {
        Free,
        AwaitingSynAck,
        Open,
        /// <summary>Given up, but the gateway still holds its mapping until the idle timeout.</summary>
        Abandoned,
    }

    /// <summary>IPv4 (20) + TCP (20) header bytes per packet.</summary>
    private const int HeaderBytes = 40;
    private const int SynRetries = 6;
    private const int PortClashRetries = 16;
    private const ushort HttpsPort = 443;
    private const ushort FirstNodePort = 30000;
    private static readonly PortRange EphemeralPorts = PortRange.LinuxEphemeral;
    private static readonly SimTime InitialSynTimeout = SimTime.FromSeconds(1);
    private static readonly SimTime DataRetransmitTimeout = SimTime.FromMilliseconds(200);

    private struct Connection
    {
        public Phase Phase;
        public ConnectionKind Kind;
        public int Profile;
        public int ClientPod;
        /// <summary>The node whose netfilter translates the first packet: the client pod's, or the load balancer's pick.</summary>
        public int ClientNode;
        public int Service;
        public Endpoint Endpoint;
        public int ServerNode;
        public IPv4Address ServerIp;
        public FlowTuple Original;
        public FlowTuple SeenByServer;
        public FlowTuple GatewayMapping;
        public bool HasGatewayMapping;
        public bool Translated;
        public int ClientEntry;
        public int ServerEntry;
        public Endpoint Upstream;
        public SimTime StartedAt;
        public int SynsSent;
        public EventHandle SynTimer;
        public DropCause LastDrop;
        public int RequestsLeft;
        public SimTime RequestSentAt;
        public long RequestBytes;
        public long ResponseBytes;
    }

    private readonly Simulator _simulator;
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly IReadOnlyList<KubeProxy> _kubeProxies;
    private readonly IServiceProxy _proxy;
    private readonly Fabric _fabric;
    private readonly NatGateway _gateway;
    private readonly IngressController _ingress;
    private readonly IDataPlaneObserver _observer;
    private readonly IReadOnlyList<TrafficProfile> _profiles;
    private readonly Forwarder _forwarder;
    private readonly System.Random _random;
    private readonly ushort[] _nextPortOfPod;
    private readonly RecordPool<Connection> _connections = new(256);
    private readonly Endpoint[] _scratch;
    private long _internetClients;

    public ConnectionEngine(Simulator simulator, ClusterOptions options, PodTable pods, ServiceCatalog catalog, IReadOnlyList<Node> nodes,
        IReadOnlyList<KubeProxy> kubeProxies, IServiceProxy proxy, Fabric fabric, NatGateway gateway, IngressController ingress,
        IDataPlaneObserver observer, IReadOnlyList<TrafficProfile> profiles)
    {
        _simulator = simulator;
        _options = options;
        _pods = pods;
        _catalog = catalog;
        _nodes = nodes;
        _kubeProxies = kubeProxies;
        _proxy = proxy;
        _fabric = fabric;
        _gateway = gateway;
        _ingress = ingress;
        _observer = observer;
        _profiles = profiles;
        _forwarder = new Forwarder(simulator);
        _random = simulator.Random.Stream("connections");
        _nextPortOfPod = new ushort[pods.Count];
        for (int p = 0; p < pods.Count; p++) _nextPortOfPod[p] = (ushort)(EphemeralPorts.First + (int)((p * 7919L) % EphemeralPorts.Size));
        _scratch = new Endpoint[Math.Max(options.EndpointsPerService, options.Ingress.ControllerReplicas) + 1];
    }

    /// <summary>The forwarder carrying this engine's messages (for invariant checks).</summary>
    public Forwarder Forwarder => _forwarder;

    /// <summary>Connections open or opening now.</summary>
    public int Active => _connections.Count;

    /// <summary>Opens a connection from <paramref name="clientPod"/> to the ClusterIP of <paramref name="service"/>.</summary>
    public void OpenToService(int clientPod, int service, int profile)
    {
        int index = OpenFromPod(ConnectionKind.PodToService, clientPod, profile, _catalog.ClusterIp(service), _catalog.Port);
        _connections[index].Service = service;
        StartNewFlowAtClient(index);
    }

    /// <summary>Opens a connection from <paramref name="clientPod"/> straight to <paramref name="serverPod"/>'s IP (no NAT anywhere).</summary>
    public void OpenToPod(int clientPod, int serverPod, int profile)
    {
        int index = OpenFromPod(ConnectionKind.PodToPod, clientPod, profile, _pods.IpOf(serverPod), _catalog.Port);
        SetServerPod(index, new Endpoint(serverPod, _pods.GenerationOf(serverPod)));
        StartNewFlowAtClient(index);
    }

    /// <summary>Opens a connection from <paramref name="clientPod"/> to Internet host <paramref name="destination"/> on port 443.</summary>
    public void OpenToInternet(int clientPod, int destination, int profile)
    {
        int index = OpenFromPod(ConnectionKind.PodToInternet, clientPod, profile, InternetOptions.HostAddress(destination), HttpsPort);
        ref Connection c = ref _connections[index];
        c.ServerIp = c.Original.DestinationIp;
        StartNewFlowAtClient(index);
    }

    /// <summary>
    /// Opens a connection from a new Internet client to the LoadBalancer of the ingress
    /// backend Service, or to the ingress controller in front of it.
    /// </summary>
    public void OpenFromInternet(bool viaController, int profile)
    {
        int index = Open(viaController ? ConnectionKind.IngressController : ConnectionKind.LoadBalancer, profile);
        ref Connection c = ref _connections[index];
        c.Service = _options.Ingress.BackendService;
        c.ClientNode = _ingress.PickEntryNode(viaController, _random);
        if (c.ClientNode < 0)
        {
            _observer.Dropped(DropCause.NoEndpoint);
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        IPv4Address client = InternetOptions.ClientAddress(_internetClients++);
        ushort port = (ushort)(EphemeralPorts.First + _random.Next(EphemeralPorts.Size));
        c.Original = new FlowTuple(client, port, _nodes[c.ClientNode].Address, (ushort)(FirstNodePort + c.Service), IpProtocol.Tcp);
        SendSyn(index);
    }

    private int Open(ConnectionKind kind, int profile)
    {
        int index = _connections.Allocate();
        ref Connection c = ref _connections[index];
        c = default;
        c.Phase = Phase.AwaitingSynAck;
        c.Kind = kind;
        c.Profile = profile;
        c.ClientPod = -1;
        c.Service = -1;
        c.Endpoint = new Endpoint(-1, 0);
        c.ServerNode = -1;
        c.ClientEntry = -1;
        c.ServerEntry = -1;
        c.StartedAt = _simulator.Now;
        c.SynTimer = EventHandle.None;
        c.RequestsLeft = _profiles[profile].RequestsPerConnection;
        _observer.ConnectionOffered(c.StartedAt);
        return index;
    }

    private int OpenFromPod(ConnectionKind kind, int clientPod, int profile, IPv4Address destination, ushort port)
    {
        int index = Open(kind, profile);
        ref Connection c = ref _connections[index];
        c.ClientPod = clientPod;
        c.ClientNode = _pods.NodeOf(clientPod);
        c.Original = new FlowTuple(_pods.IpOf(clientPod), NextPort(clientPod), destination, port, IpProtocol.Tcp);
        return index;
    }

    private void SetServerPod(int index, Endpoint endpoint)
    {
        ref Connection c = ref _connections[index];
        c.Endpoint = endpoint;
        c.ServerNode = _pods.NodeOf(endpoint.Pod);
        c.ServerIp = _pods.IpOf(endpoint.Pod);
    }

    private static bool FromInternet(in Connection c) => c.Kind is ConnectionKind.LoadBalancer or ConnectionKind.IngressController;
    private bool SamePod(in Connection c) => c.ClientPod >= 0 && c.Endpoint.Pod == c.ClientPod;
    private bool Tracked(in Connection c) => _proxy.UsesConntrack && !SamePod(c);

    /// <summary>The first packet of a pod's flow meets its node's netfilter: rules, DNAT or SNAT, a conntrack entry.</summary>
    private void StartNewFlowAtClient(int index)
    {
        ref Connection c = ref _connections[index];
        Node node = _nodes[c.ClientNode];
        SimTime work;
        if (c.Kind == ConnectionKind.PodToService)
        {
            ReadOnlySpan<Endpoint> endpoints = _catalog.Endpoints(c.Service, _kubeProxies[c.ClientNode].SyncedVersion);
            if (endpoints.IsEmpty)
            {
                _observer.Dropped(DropCause.NoEndpoint);
                Fail(index, DropCause.NoEndpoint);
                return;
            }
            work = _proxy.TranslateNewConnection(c.ClientNode, c.Service, endpoints, out int chosen);
            SetServerPod(index, endpoints[chosen]);
        }
        else
        {
            work = _proxy.NonServiceNewConnectionWork;
        }
        c.SeenByServer = new FlowTuple(c.Original.SourceIp, c.Original.SourcePort, c.ServerIp, c.Original.DestinationPort, IpProtocol.Tcp);

        if (c.Kind == ConnectionKind.PodToInternet && !TryMasquerade(index, node))
        {
            DropSyn(index, DropCause.SnatPorts);
            return;
        }
        if (Tracked(c))
        {
            if (!TryTrack(index, node))
            {
                DropSyn(index, DropCause.ConntrackFull);
                return;
            }
            work += _options.Costs.ConntrackInsert;
        }
        _simulator.Schedule(node.Cpu.Process(_simulator.Now, work), this, (int)EventKind.SynLeavesClient, FlowId(index));
    }

    /// <summary>MASQUERADE: the node picks a source port toward the destination; the packet leaves with the node's IP.</summary>
    private bool TryMasquerade(int index, Node node)
    {
        ref Connection c = ref _connections[index];
        if (!node.Snat.TryAllocate(c.Original, out ushort port)) return false;
        c.SeenByServer = new FlowTuple(node.Address, port, c.ServerIp, c.Original.DestinationPort, IpProtocol.Tcp);
        return true;
    }

    /// <summary>Creates the client-side entry; a tuple still held (say, in TIME_WAIT) makes the client pick another port.</summary>
    private bool TryTrack(int index, Node node)
    {
        ref Connection c = ref _connections[index];
        for (int attempt = 0; attempt < PortClashRetries; attempt++)
        {
            switch (node.Conntrack.TryInsert(_simulator.Now, c.Original, c.SeenByServer.Reversed(), ConntrackState.TcpSynSent, out c.ClientEntry))
            {
                case ConntrackInsertResult.Inserted:
                    return true;
                case ConntrackInsertResult.TableFull:
                    return false;
                default:
                    if (c.ClientPod < 0 || c.Kind == ConnectionKind.PodToInternet) return false;
                    c.Original = c.Original with { SourcePort = NextPort(c.ClientPod) };
                    c.SeenByServer = c.SeenByServer with { SourcePort = c.Original.SourcePort };
                    break;
            }
        }
        return false;
    }

    /// <summary>The client's SYN was dropped on its own node (or at the gateway): it counts as sent, and the retransmission timer backs off.</summary>
    private void DropSyn(int index, DropCause cause)
    {
        _observer.Dropped(cause);
        _connections[index].SynsSent++;
        _connections[index].LastDrop = cause;
        ArmSynTimer(index);
    }

    private void OnSynLeavesClient(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Kind == ConnectionKind.PodToInternet && !c.HasGatewayMapping)
        {
            if (!_gateway.TryAllocate(_simulator.Now, c.SeenByServer, out c.GatewayMapping))
            {
                DropSyn(index, DropCause.NatPortExhausted);
                return;
            }
            c.HasGatewayMapping = true;
            c.SeenByServer = c.GatewayMapping;
        }
        SendSyn(index);
    }

    private void SendSyn(int index)
    {
        ref Connection c = ref _connections[index];
        c.SynsSent++;
        ArmSynTimer(index);
        Send(index, FromInternet(c) && !c.Translated ? MessageKind.SynToEntry : MessageKind.Syn);
    }

    private void ArmSynTimer(int index)
    {
        ref Connection c = ref _connections[index];
        _simulator.Cancel(c.SynTimer);
        SimTime timeout = InitialSynTimeout * (1L << Math.Max(0, c.SynsSent - 1));
        c.SynTimer = _simulator.ScheduleAfter(timeout, this, (int)EventKind.SynTimeout, FlowId(index));
    }

    private void OnSynTimeout(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != Phase.AwaitingSynAck) return;
        if (c.SynsSent > SynRetries)
        {
            Fail(index, c.LastDrop);
            return;
        }
        bool clientSideDone = FromInternet(c) || !Tracked(c) || (c.ClientEntry >= 0 && _nodes[c.ClientNode].Conntrack.IsLive(c.ClientEntry));
        if (!clientSideDone) StartNewFlowAtClient(index);
        else if (c.Kind == ConnectionKind.PodToInternet && !c.HasGatewayMapping) OnSynLeavesClient(index);
        else SendSyn(index);
    }

    /// <summary>
    /// The SYN from the Internet reaches the node the load balancer chose: its NodePort rules
    /// pick an endpoint (a local one under the Local policy), DNAT to it, and SNAT to the node's
    /// IP when the endpoint is on another node under the Cluster policy.
    /// </summary>
    private void TranslateAtEntry(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Translated)
        {
            Send(index, MessageKind.Syn);
            return;
        }
        Node node = _nodes[c.ClientNode];
        ReadOnlySpan<Endpoint> candidates = c.Kind == ConnectionKind.IngressController
            ? _ingress.Controllers
            : _catalog.Endpoints(c.Service, _kubeProxies[c.ClientNode].SyncedVersion);
        if (_options.Ingress.ExternalTrafficPolicy == ExternalTrafficPolicy.Local) candidates = LocalTo(c.ClientNode, candidates);
        if (candidates.IsEmpty)
        {
            _observer.Dropped(DropCause.NoEndpoint);
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        SimTime work = _proxy.TranslateNodePort(c.ClientNode, c.Service, candidates, out int chosen);
        SetServerPod(index, candidates[chosen]);
        c.SeenByServer = new FlowTuple(c.Original.SourceIp, c.Original.SourcePort, c.ServerIp, _catalog.Port, IpProtocol.Tcp);
        if (c.ServerNode != c.ClientNode && !TryMasquerade(index, node))
        {
            _observer.Dropped(DropCause.SnatPorts);
            c.LastDrop = DropCause.SnatPorts;
            return;
        }
        if (_proxy.UsesConntrack)
        {
            if (!TryTrack(index, node))
            {
                _observer.Dropped(DropCause.ConntrackFull);
                c.LastDrop = DropCause.ConntrackFull;
                return;
            }
            work += _options.Costs.ConntrackInsert;
        }
        c.Translated = true;
        _simulator.Schedule(node.Cpu.Process(_simulator.Now, work), this, (int)EventKind.EntryTranslated, FlowId(index));
    }

    private ReadOnlySpan<Endpoint> LocalTo(int node, ReadOnlySpan<Endpoint> endpoints)
    {
        int count = 0;
        foreach (Endpoint endpoint in endpoints)
            if (_pods.NodeOf(endpoint.Pod) == node && count < _scratch.Length) _scratch[count++] = endpoint;
        return _scratch.AsSpan(0, count);
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        if ((EventKind)kind >= EventKind.Retransmit)
        {
            if (TryResolve(argument, out int resending)) Send(resending, (MessageKind)(kind - (int)EventKind.Retransmit));
            return;
        }
        if (!TryResolve(argument, out int index)) return;
        switch ((EventKind)kind)
        {
            case EventKind.SynLeavesClient:
                OnSynLeavesClient(index);
                break;
            case EventKind.SynTimeout:
                OnSynTimeout(index);
                break;
            case EventKind.EntryTranslated:
                Send(index, MessageKind.Syn);
                break;
            case EventKind.ServerAccepted:
                SendSynAck(index);
                break;
            case EventKind.ServerResponds:
                Send(index, _connections[index].Kind == ConnectionKind.IngressController ? MessageKind.UpstreamResponse : MessageKind.Response);
                break;
            case EventKind.ControllerForwards:
                ForwardUpstream(index);
                break;
            case EventKind.GatewayIdleTimeout:
                Release(index);
                break;
        }
    }

    /// <inheritdoc />
    public void OnDelivered(in Message message)
    {
        if (!TryResolve(message.Flow, out int index)) return;
        switch ((MessageKind)message.Kind)
        {
            case MessageKind.SynToEntry:
                TranslateAtEntry(index);
                break;
            case MessageKind.Syn:
                OnSynAtServer(index);
                break;
            case MessageKind.SynAck:
                OnSynAckAtClient(index);
                break;
            case MessageKind.Request:
                OnRequestAtServer(index);
                break;
            case MessageKind.UpstreamRequest:
                OnUpstreamRequestAtBackend(index);
                break;
            case MessageKind.UpstreamResponse:
                Send(index, MessageKind.Response);
                break;
            case MessageKind.Response:
                OnResponseAtClient(index);
                break;
        }
    }

    /// <inheritdoc />
    public void OnDropped(in Message message, HopDropReason reason, int hopIndex)
    {
        DropCause cause = HopDrops.Cause(reason);
        _observer.Dropped(cause);
        if (!TryResolve(message.Flow, out int index)) return;
        var kind = (MessageKind)message.Kind;
        if (kind is MessageKind.Syn or MessageKind.SynToEntry or MessageKind.SynAck)
            _connections[index].LastDrop = cause;
        else
            _simulator.ScheduleAfter(DataRetransmitTimeout, this, (int)EventKind.Retransmit + (int)kind, message.Flow);
    }

    private void OnSynAtServer(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != Phase.AwaitingSynAck) return;
        if (c.Kind == ConnectionKind.PodToInternet)
        {
            _observer.HandshakeDelivered(c.SeenByServer, atServer: true);
            SendSynAck(index);
            return;
        }
        if (!_pods.IsCurrent(c.Endpoint.Pod, c.Endpoint.Generation))
        {
            // The rule that sent us here was stale: the pod is gone, nothing answers.
            _observer.Dropped(DropCause.NoEndpoint);
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        SimTime work = SimTime.Zero;
        if (Tracked(c) && c.ServerNode != c.ClientNode && c.ServerEntry < 0)
        {
            Node server = _nodes[c.ServerNode];
            if (server.Conntrack.TryInsert(_simulator.Now, c.SeenByServer, c.SeenByServer.Reversed(), ConntrackState.TcpSynSent, out int entry) == ConntrackInsertResult.TableFull)
            {
                _observer.Dropped(DropCause.ConntrackFull);
                c.LastDrop = DropCause.ConntrackFull;
                return;
            }
            c.ServerEntry = entry;
            work = _proxy.NonServiceNewConnectionWork + _options.Costs.ConntrackInsert;
        }
        _observer.HandshakeDelivered(c.SeenByServer, atServer: true);
        if (work.Nanoseconds == 0) SendSynAck(index);
        else _simulator.Schedule(_nodes[c.ServerNode].Cpu.Process(_simulator.Now, work), this, (int)EventKind.ServerAccepted, FlowId(index));
    }

    private void SendSynAck(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != Phase.AwaitingSynAck) return;
        if (c.ServerEntry >= 0) _nodes[c.ServerNode].Conntrack.SetState(_simulator.Now, c.ServerEntry, ConntrackState.TcpEstablished);
        Send(index, MessageKind.SynAck);
    }

    private void OnSynAckAtClient(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != Phase.AwaitingSynAck) return;
        _simulator.Cancel(c.SynTimer);
        _observer.HandshakeDelivered(SynAckAsSeenByClient(c), atServer: false);
        if (c.ClientEntry >= 0) _nodes[c.ClientNode].Conntrack.SetState(_simulator.Now, c.ClientEntry, ConntrackState.TcpEstablished);
        c.Phase = Phase.Open;
        _observer.SetupCompleted(c.StartedAt, _simulator.Now - c.StartedAt);
        StartRequest(index);
    }

    /// <summary>
    /// The SYN-ACK leaves the server addressed to what it saw as the source; on the translating
    /// node conntrack finds the entry by its reply tuple and reverses the NAT, so the client
    /// sees the address it dialled. Untracked flows (eBPF socket-level translation, loopback)
    /// are translated back at the socket, with the same result.
    /// </summary>
    private FlowTuple SynAckAsSeenByClient(in Connection c)
    {
        FlowTuple sent = c.SeenByServer.Reversed();
        ConntrackTable table = _nodes[c.ClientNode].Conntrack;
        if (c.ClientEntry >= 0 && table.TryLookup(_simulator.Now, sent, out int entry, out bool isReply) && isReply)
            return table.Original(entry).Reversed();
        return c.Original.Reversed();
    }

    private void StartRequest(int index)
    {
        ref Connection c = ref _connections[index];
        TrafficProfile profile = _profiles[c.Profile];
        c.RequestBytes = SampleBytes(profile.RequestBytes);
        c.ResponseBytes = SampleBytes(profile.ResponseBytes);
        c.RequestSentAt = _simulator.Now;
        Send(index, MessageKind.Request);
    }

    private void OnRequestAtServer(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Kind == ConnectionKind.IngressController)
        {
            SimTime parsed = _ingress.Process(c.Endpoint, _simulator.Now);
            _simulator.Schedule(parsed, this, (int)EventKind.ControllerForwards, FlowId(index));
            return;
        }
        RespondAfterServerTime(index);
    }

    /// <summary>The controller routes the request (Host header → Service) to one of that Service's endpoints, over a kept-alive upstream connection.</summary>
    private void ForwardUpstream(int index)
    {
        ref Connection c = ref _connections[index];
        ReadOnlySpan<Endpoint> backends = _catalog.Endpoints(_ingress.RouteToService(_random), _catalog.CurrentVersion);
        if (backends.IsEmpty)
        {
            _observer.Dropped(DropCause.NoEndpoint);
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        c.Upstream = backends[_random.Next(backends.Length)];
        Send(index, MessageKind.UpstreamRequest);
    }

    private void OnUpstreamRequestAtBackend(int index)
    {
        ref Connection c = ref _connections[index];
        var seen = new FlowTuple(c.ServerIp, 0, _pods.IpOf(c.Upstream.Pod), _catalog.Port, IpProtocol.Tcp);
        // X-Forwarded-For carries the address the controller saw the client come from.
        _observer.RequestForwarded(seen, forwardedFor: c.SeenByServer.SourceIp);
        RespondAfterServerTime(index);
    }

    private void RespondAfterServerTime(int index)
    {
        SimTime serverTime = _profiles[_connections[index].Profile].ServerTime;
        _simulator.ScheduleAfter(serverTime, this, (int)EventKind.ServerResponds, FlowId(index));
    }

    private void OnResponseAtClient(int index)
    {
        ref Connection c = ref _connections[index];
        _observer.RequestCompleted(c.StartedAt, _simulator.Now - c.RequestSentAt, c.RequestBytes + c.ResponseBytes);
        if (--c.RequestsLeft > 0)
        {
            StartRequest(index);
            return;
        }
        Close(index);
    }

    /// <summary>Both ends close; each node's entry lingers in TIME_WAIT; the gateway frees its mapping.</summary>
    private void Close(int index)
    {
        ref Connection c = ref _connections[index];
        SimTime now = _simulator.Now;
        if (c.ClientEntry >= 0) _nodes[c.ClientNode].Conntrack.SetState(now, c.ClientEntry, ConntrackState.TcpTimeWait);
        if (c.ServerEntry >= 0) _nodes[c.ServerNode].Conntrack.SetState(now, c.ServerEntry, ConntrackState.TcpTimeWait);
        _observer.ConnectionCompleted(c.StartedAt);
        Release(index);
    }

    /// <summary>
    /// The connection gives up. Its conntrack entries are left to time out, as the kernel leaves
    /// them; a gateway mapping is held until the gateway's idle timeout, since no FIN tells the
    /// gateway the flow is over.
    /// </summary>
    private void Fail(int index, DropCause cause)
    {
        ref Connection c = ref _connections[index];
        _observer.ConnectionFailed(c.StartedAt, cause);
        if (!c.HasGatewayMapping)
        {
            Release(index);
            return;
        }
        _simulator.Cancel(c.SynTimer);
        c.Phase = Phase.Abandoned;
        _simulator.ScheduleAfter(_options.NatGateway.IdleTimeout, this, (int)EventKind.GatewayIdleTimeout, FlowId(index));
    }

    private void Send(int index, MessageKind kind)
    {
        ref Connection c = ref _connections[index];
        (long payload, Route route, bool crossesNodes) = kind switch
        {
            MessageKind.Syn or MessageKind.SynToEntry => (0L, ForwardRoute(c, entryOnly: kind == MessageKind.SynToEntry, afterEntry: kind == MessageKind.Syn), ForwardCrosses(c)),
            MessageKind.Request => (c.RequestBytes, ForwardRoute(c, entryOnly: false, afterEntry: false), ForwardCrosses(c)),
            MessageKind.SynAck => (0L, BackRoute(c), ForwardCrosses(c)),
            MessageKind.Response => (c.ResponseBytes, BackRoute(c), ForwardCrosses(c)),
            MessageKind.UpstreamRequest => (c.RequestBytes, _fabric.PodToPod(c.ServerNode, _pods.NodeOf(c.Upstream.Pod), false), c.ServerNode != _pods.NodeOf(c.Upstream.Pod)),
            _ => (c.ResponseBytes, _fabric.PodToPod(_pods.NodeOf(c.Upstream.Pod), c.ServerNode, false), c.ServerNode != _pods.NodeOf(c.Upstream.Pod)),
        };
        int overhead = crossesNodes ? _options.CniOverheadBytes : 0;
        int segment = _options.Mtu - HeaderBytes - overhead;
        int packets = payload == 0 ? 1 : (int)((payload + segment - 1) / segment);
        var message = new Message
        {
            SizeBytes = payload + (long)packets * (HeaderBytes + overhead),
            Packets = packets,
            Kind = (int)kind,
            Flow = FlowId(index),
            SentAt = _simulator.Now,
        };
        _forwarder.Send(route, message, this);
    }

    /// <summary>Whether the pod-to-pod part of the path crosses between nodes (and so is encapsulated in an overlay).</summary>
    private static bool ForwardCrosses(in Connection c) => c.ServerNode >= 0 && c.ServerNode != c.ClientNode;

    /// <summary>Client to server. From the Internet: the load balancer to the chosen node's NIC, then (after translation) on to the pod.</summary>
    private Route ForwardRoute(in Connection c, bool entryOnly, bool afterEntry)
    {
        if (c.Kind == ConnectionKind.PodToInternet)
        {
            var egress = new Route();
            _fabric.AppendToInternet(ref egress, c.ClientNode);
            return egress;
        }
        if (!FromInternet(c)) return _fabric.PodToPod(c.ClientNode, c.ServerNode, SamePod(c));
        var route = new Route();
        if (!afterEntry) _fabric.AppendFromInternetToNic(ref route, c.ClientNode);
        if (entryOnly) return route;
        route.Add(_nodes[c.ClientNode].FromWire);
        if (c.ServerNode != c.ClientNode) _fabric.AppendNodeToNode(ref route, c.ClientNode, c.ServerNode);
        return route;
    }

    /// <summary>Server to client: the forward path reversed.</summary>
    private Route BackRoute(in Connection c)
    {
        var route = new Route();
        switch (c.Kind)
        {
            case ConnectionKind.PodToInternet:
                _fabric.AppendFromInternetToNic(ref route, c.ClientNode);
                route.Add(_nodes[c.ClientNode].FromWire);
                return route;
            case ConnectionKind.LoadBalancer or ConnectionKind.IngressController:
                if (c.ServerNode != c.ClientNode) _fabric.AppendNodeToNode(ref route, c.ServerNode, c.ClientNode);
                _fabric.AppendToInternet(ref route, c.ClientNode);
                return route;
            default:
                return _fabric.PodToPod(c.ServerNode, c.ClientNode, SamePod(c));
        }
    }

    private long SampleBytes(Kernel.Sampling.Sampler sampler) => Math.Max(1, (long)Math.Round(sampler.Sample(_random)));

    private ushort NextPort(int pod)
    {
        ushort port = _nextPortOfPod[pod];
        _nextPortOfPod[pod] = port >= EphemeralPorts.Last ? (ushort)EphemeralPorts.First : (ushort)(port + 1);
        return port;
    }

    private long FlowId(int index) => _connections.IdOf(index);

    private bool TryResolve(long flow, out int index) => _connections.TryResolve(flow, out index);

    private void Release(int index)
    {
        ref Connection c = ref _connections[index];
        _simulator.Cancel(c.SynTimer);
        if (c.HasGatewayMapping) _gateway.Release(_simulator.Now, c.GatewayMapping);
        if (c.Kind == ConnectionKind.PodToService && c.Endpoint.Pod >= 0) _proxy.ConnectionClosed(c.ClientNode, c.Endpoint);
        c.Phase = Phase.Free;
        _connections.Release(index);
    }
}
