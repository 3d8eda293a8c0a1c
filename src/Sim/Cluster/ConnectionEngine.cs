using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// TCP connections between pods and to Services, at message granularity: the handshake
/// (with SYN retransmission), then request/response exchanges, then close. The first packet
/// of a connection is where kube-proxy's rules are walked and conntrack entries are made, on
/// the client's node and on the server's; later packets follow conntrack.
/// </summary>
/// <remarks>
/// <para>Connection state lives in a pool of structs indexed by the event argument and the
/// message flow id (index and generation packed, so a late message of a finished connection
/// is recognised and ignored). Per connection the simulator's own work is O(1) in services and
/// endpoints (except IPVS lc, as in the kernel).</para>
/// <para>Timing (Linux defaults): the SYN retransmission timeout starts at 1 s and doubles,
/// tcp_syn_retries = 6; data is retransmitted after TCP_RTO_MIN = 200 ms.</para>
/// </remarks>
public sealed class ConnectionEngine : IEventTarget, IMessageSink
{
    private enum EventKind
    {
        SynLeavesClient,
        SynTimeout,
        ServerAccepted,
        ServerResponds,
        RetransmitRequest,
        RetransmitResponse,
    }

    private enum MessageKind
    {
        Syn,
        SynAck,
        Request,
        Response,
    }

    private enum Phase : byte
    {
        Free,
        AwaitingSynAck,
        Open,
    }

    /// <summary>IPv4 (20) + TCP (20) header bytes per packet.</summary>
    private const int HeaderBytes = 40;
    private const int SynRetries = 6;
    private const ushort FirstEphemeralPort = 32768;
    private const int EphemeralPorts = 61000 - 32768;
    private const int PortClashRetries = 16;
    private static readonly SimTime InitialSynTimeout = SimTime.FromSeconds(1);
    private static readonly SimTime DataRetransmitTimeout = SimTime.FromMilliseconds(200);

    private struct Connection
    {
        public Phase Phase;
        public int Profile;
        public int ClientPod;
        public int ClientNode;
        public int Service;
        public Endpoint Endpoint;
        public int ServerNode;
        public IPv4Address ServerIp;
        public FlowTuple Original;
        public int ClientEntry;
        public int ServerEntry;
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
    private readonly Forwarder _forwarder;
    private readonly IDataPlaneObserver _observer;
    private readonly IReadOnlyList<TrafficProfile> _profiles;
    private readonly System.Random _random;
    private readonly ushort[] _nextPortOfPod;
    private readonly RecordPool<Connection> _connections = new(256);

    public ConnectionEngine(Simulator simulator, ClusterOptions options, PodTable pods, ServiceCatalog catalog, IReadOnlyList<Node> nodes,
        IReadOnlyList<KubeProxy> kubeProxies, IServiceProxy proxy, Fabric fabric, IDataPlaneObserver observer, IReadOnlyList<TrafficProfile> profiles)
    {
        _simulator = simulator;
        _options = options;
        _pods = pods;
        _catalog = catalog;
        _nodes = nodes;
        _kubeProxies = kubeProxies;
        _proxy = proxy;
        _fabric = fabric;
        _observer = observer;
        _profiles = profiles;
        _forwarder = new Forwarder(simulator);
        _random = simulator.Random.Stream("connections");
        _nextPortOfPod = new ushort[pods.Count];
        for (int p = 0; p < pods.Count; p++) _nextPortOfPod[p] = (ushort)(FirstEphemeralPort + (int)((p * 7919L) % EphemeralPorts));
    }

    /// <summary>The forwarder carrying this engine's messages (for invariant checks).</summary>
    public Forwarder Forwarder => _forwarder;

    /// <summary>Connections open or opening now.</summary>
    public int Active => _connections.Count;

    /// <summary>Opens a connection from <paramref name="clientPod"/> to the ClusterIP of <paramref name="service"/>.</summary>
    public void OpenToService(int clientPod, int service, int profile)
    {
        int index = Open(clientPod, profile, service, _catalog.ClusterIp(service), _catalog.Port);
        StartNewFlowAtClient(index);
    }

    /// <summary>Opens a connection from <paramref name="clientPod"/> straight to <paramref name="serverPod"/>'s IP (no NAT anywhere).</summary>
    public void OpenToPod(int clientPod, int serverPod, int profile)
    {
        int index = Open(clientPod, profile, -1, _pods.IpOf(serverPod), _catalog.Port);
        ref Connection c = ref _connections[index];
        c.Endpoint = new Endpoint(serverPod, _pods.GenerationOf(serverPod));
        c.ServerNode = _pods.NodeOf(serverPod);
        c.ServerIp = _pods.IpOf(serverPod);
        StartNewFlowAtClient(index);
    }

    private int Open(int clientPod, int profile, int service, IPv4Address destination, ushort port)
    {
        int index = _connections.Allocate();
        ref Connection c = ref _connections[index];
        c.Phase = Phase.AwaitingSynAck;
        c.Profile = profile;
        c.ClientPod = clientPod;
        c.ClientNode = _pods.NodeOf(clientPod);
        c.Service = service;
        c.Endpoint = new Endpoint(-1, 0);
        c.ClientEntry = -1;
        c.ServerEntry = -1;
        c.StartedAt = _simulator.Now;
        c.SynsSent = 0;
        c.RequestsLeft = _profiles[profile].RequestsPerConnection;
        c.Original = new FlowTuple(_pods.IpOf(clientPod), NextPort(clientPod), destination, port, IpProtocol.Tcp);
        _observer.ConnectionOffered(c.StartedAt);
        return index;
    }

    private bool SamePod(in Connection c) => c.Endpoint.Pod == c.ClientPod;
    private bool Tracked(in Connection c) => _proxy.UsesConntrack && !SamePod(c);

    /// <summary>The first packet of the flow meets the client node's netfilter: rules, DNAT, conntrack entry.</summary>
    private void StartNewFlowAtClient(int index)
    {
        ref Connection c = ref _connections[index];
        SimTime now = _simulator.Now;
        Node node = _nodes[c.ClientNode];
        SimTime work;
        if (c.Service >= 0)
        {
            ReadOnlySpan<Endpoint> endpoints = _catalog.Endpoints(c.Service, _kubeProxies[c.ClientNode].SyncedVersion);
            if (endpoints.IsEmpty)
            {
                _observer.Dropped(DropCause.NoEndpoint);
                Fail(index, DropCause.NoEndpoint);
                return;
            }
            work = _proxy.TranslateNewConnection(c.ClientNode, c.Service, endpoints, out int chosen);
            c.Endpoint = endpoints[chosen];
            c.ServerNode = _pods.NodeOf(c.Endpoint.Pod);
            c.ServerIp = _pods.IpOf(c.Endpoint.Pod);
        }
        else
        {
            work = _proxy.NonServiceNewConnectionWork;
        }
        if (Tracked(c))
        {
            if (!TryTrackAtClient(index, node))
            {
                _observer.Dropped(DropCause.ConntrackFull);
                c.LastDrop = DropCause.ConntrackFull;
                ArmSynTimer(index);
                return;
            }
            work += _options.Costs.ConntrackInsert;
        }
        SimTime done = node.Cpu.Process(now, work);
        _simulator.Schedule(done, this, (int)EventKind.SynLeavesClient, FlowId(index));
    }

    private bool TryTrackAtClient(int index, Node node)
    {
        ref Connection c = ref _connections[index];
        for (int attempt = 0; attempt < PortClashRetries; attempt++)
        {
            var reply = new FlowTuple(c.ServerIp, c.Original.DestinationPort, c.Original.SourceIp, c.Original.SourcePort, IpProtocol.Tcp);
            switch (node.Conntrack.TryInsert(_simulator.Now, c.Original, reply, ConntrackState.TcpSynSent, out c.ClientEntry))
            {
                case ConntrackInsertResult.Inserted:
                    return true;
                case ConntrackInsertResult.TableFull:
                    return false;
                default:
                    c.Original = c.Original with { SourcePort = NextPort(c.ClientPod) };
                    break;
            }
        }
        return false;
    }

    private void SendSyn(int index)
    {
        ref Connection c = ref _connections[index];
        c.SynsSent++;
        ArmSynTimer(index);
        Send(index, MessageKind.Syn, c.ClientNode, c.ServerNode, payloadBytes: 0);
    }

    private void ArmSynTimer(int index)
    {
        ref Connection c = ref _connections[index];
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
        bool tracked = Tracked(c);
        if (tracked && !(c.ClientEntry >= 0 && _nodes[c.ClientNode].Conntrack.IsLive(c.ClientEntry)))
            StartNewFlowAtClient(index);
        else
            SendSyn(index);
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        switch ((EventKind)kind)
        {
            case EventKind.SynLeavesClient:
                if (TryResolve(argument, out int leaving)) SendSyn(leaving);
                break;
            case EventKind.SynTimeout:
                if (TryResolve(argument, out int timedOut)) OnSynTimeout(timedOut);
                break;
            case EventKind.ServerAccepted:
                if (TryResolve(argument, out int accepted)) SendSynAck(accepted);
                break;
            case EventKind.ServerResponds:
            case EventKind.RetransmitResponse:
                if (TryResolve(argument, out int responding)) SendResponse(responding);
                break;
            case EventKind.RetransmitRequest:
                if (TryResolve(argument, out int requesting)) SendRequestMessage(requesting);
                break;
        }
    }

    /// <inheritdoc />
    public void OnDelivered(in Message message)
    {
        if (!TryResolve(message.Flow, out int index)) return;
        switch ((MessageKind)message.Kind)
        {
            case MessageKind.Syn:
                OnSynAtServer(index);
                break;
            case MessageKind.SynAck:
                OnSynAckAtClient(index);
                break;
            case MessageKind.Request:
                OnRequestAtServer(index);
                break;
            case MessageKind.Response:
                OnResponseAtClient(index);
                break;
        }
    }

    /// <inheritdoc />
    public void OnDropped(in Message message, DropCause cause, int hopIndex)
    {
        _observer.Dropped(cause);
        if (!TryResolve(message.Flow, out int index)) return;
        switch ((MessageKind)message.Kind)
        {
            case MessageKind.Syn:
            case MessageKind.SynAck:
                _connections[index].LastDrop = cause;
                break;
            case MessageKind.Request:
                _simulator.ScheduleAfter(DataRetransmitTimeout, this, (int)EventKind.RetransmitRequest, message.Flow);
                break;
            case MessageKind.Response:
                _simulator.ScheduleAfter(DataRetransmitTimeout, this, (int)EventKind.RetransmitResponse, message.Flow);
                break;
        }
    }

    private void OnSynAtServer(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != Phase.AwaitingSynAck) return;
        if (!_pods.IsCurrent(c.Endpoint.Pod, c.Endpoint.Generation))
        {
            // The rule that sent us here was stale: the pod is gone, nothing answers.
            _observer.Dropped(DropCause.NoEndpoint);
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        var atServer = new FlowTuple(c.Original.SourceIp, c.Original.SourcePort, c.ServerIp, c.Original.DestinationPort, IpProtocol.Tcp);
        SimTime work = SimTime.Zero;
        if (Tracked(c) && c.ServerNode != c.ClientNode && c.ServerEntry < 0)
        {
            Node server = _nodes[c.ServerNode];
            if (server.Conntrack.TryInsert(_simulator.Now, atServer, atServer.Reversed(), ConntrackState.TcpSynSent, out int entry) == ConntrackInsertResult.TableFull)
            {
                _observer.Dropped(DropCause.ConntrackFull);
                c.LastDrop = DropCause.ConntrackFull;
                return;
            }
            c.ServerEntry = entry;
            work = _proxy.NonServiceNewConnectionWork + _options.Costs.ConntrackInsert;
        }
        _observer.HandshakeDelivered(atServer, atServer: true);
        if (work.Nanoseconds == 0) SendSynAck(index);
        else _simulator.Schedule(_nodes[c.ServerNode].Cpu.Process(_simulator.Now, work), this, (int)EventKind.ServerAccepted, FlowId(index));
    }

    private void SendSynAck(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != Phase.AwaitingSynAck) return;
        if (c.ServerEntry >= 0) _nodes[c.ServerNode].Conntrack.SetState(_simulator.Now, c.ServerEntry, ConntrackState.TcpEstablished);
        Send(index, MessageKind.SynAck, c.ServerNode, c.ClientNode, payloadBytes: 0);
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
    /// The SYN-ACK leaves the server as (server IP → client); on the client's node conntrack
    /// finds the entry by its reply tuple and reverses the DNAT, so the client sees the address
    /// it dialled. Untracked flows (eBPF socket-level translation, loopback) are translated
    /// back at the socket, with the same result.
    /// </summary>
    private FlowTuple SynAckAsSeenByClient(in Connection c)
    {
        var sent = new FlowTuple(c.ServerIp, c.Original.DestinationPort, c.Original.SourceIp, c.Original.SourcePort, IpProtocol.Tcp);
        ConntrackTable table = _nodes[c.ClientNode].Conntrack;
        if (c.ClientEntry >= 0 && table.TryLookup(_simulator.Now, sent, out int entry, out bool isReply) && isReply)
            return table.Original(entry).Reversed();
        return c.Service >= 0 || SamePod(c) ? c.Original.Reversed() : sent;
    }

    private void StartRequest(int index)
    {
        ref Connection c = ref _connections[index];
        TrafficProfile profile = _profiles[c.Profile];
        c.RequestBytes = SampleBytes(profile.RequestBytes);
        c.ResponseBytes = SampleBytes(profile.ResponseBytes);
        c.RequestSentAt = _simulator.Now;
        SendRequestMessage(index);
    }

    private void SendRequestMessage(int index)
    {
        ref Connection c = ref _connections[index];
        Send(index, MessageKind.Request, c.ClientNode, c.ServerNode, c.RequestBytes);
    }

    private void OnRequestAtServer(int index)
    {
        SimTime serverTime = _profiles[_connections[index].Profile].ServerTime;
        if (serverTime.Nanoseconds == 0) SendResponse(index);
        else _simulator.ScheduleAfter(serverTime, this, (int)EventKind.ServerResponds, FlowId(index));
    }

    private void SendResponse(int index)
    {
        ref Connection c = ref _connections[index];
        Send(index, MessageKind.Response, c.ServerNode, c.ClientNode, c.ResponseBytes);
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

    /// <summary>Both ends close; each node's entry lingers in TIME_WAIT.</summary>
    private void Close(int index)
    {
        ref Connection c = ref _connections[index];
        SimTime now = _simulator.Now;
        if (c.ClientEntry >= 0) _nodes[c.ClientNode].Conntrack.SetState(now, c.ClientEntry, ConntrackState.TcpTimeWait);
        if (c.ServerEntry >= 0) _nodes[c.ServerNode].Conntrack.SetState(now, c.ServerEntry, ConntrackState.TcpTimeWait);
        if (c.Service >= 0) _proxy.ConnectionClosed(c.ClientNode, c.Endpoint);
        _observer.ConnectionCompleted(c.StartedAt);
        Release(index);
    }

    /// <summary>The connection gives up; its conntrack entries are left to time out, as the kernel leaves them.</summary>
    private void Fail(int index, DropCause cause)
    {
        ref Connection c = ref _connections[index];
        _simulator.Cancel(c.SynTimer);
        if (c.Service >= 0 && c.Phase == Phase.AwaitingSynAck && c.SynsSent > 0) _proxy.ConnectionClosed(c.ClientNode, c.Endpoint);
        _observer.ConnectionFailed(c.StartedAt, cause);
        Release(index);
    }

    private void Send(int index, MessageKind kind, int fromNode, int toNode, long payloadBytes)
    {
        ref Connection c = ref _connections[index];
        bool samePod = SamePod(c);
        bool crossNode = fromNode != toNode;
        int overhead = crossNode ? _options.CniOverheadBytes : 0;
        int segment = _options.Mtu - HeaderBytes - overhead;
        int packets = payloadBytes == 0 ? 1 : (int)((payloadBytes + segment - 1) / segment);
        var message = new Message
        {
            SizeBytes = payloadBytes + (long)packets * (HeaderBytes + overhead),
            Packets = packets,
            Kind = (int)kind,
            Flow = FlowId(index),
            SentAt = _simulator.Now,
        };
        Route route = _fabric.PodToPod(fromNode, toNode, samePod);
        _forwarder.Send(route, message, this);
    }

    private long SampleBytes(Kernel.Sampling.Sampler sampler) => Math.Max(1, (long)Math.Round(sampler.Sample(_random)));

    private ushort NextPort(int pod)
    {
        ushort port = _nextPortOfPod[pod];
        _nextPortOfPod[pod] = (ushort)(port + 1 >= FirstEphemeralPort + EphemeralPorts ? FirstEphemeralPort : port + 1);
        return port;
    }

    private long FlowId(int index) => _connections.IdOf(index);

    private bool TryResolve(long flow, out int index) => _connections.TryResolve(flow, out index);

    private void Release(int index)
    {
        ref Connection c = ref _connections[index];
        c.Phase = Phase.Free;
        c.SynTimer = EventHandle.None;
        _connections.Release(index);
    }
}
