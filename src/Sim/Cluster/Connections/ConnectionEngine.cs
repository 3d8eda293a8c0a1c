using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>
/// TCP connections at message granularity, on every path of <see cref="ConnectionKind"/>: the
/// handshake (with SYN retransmission), request/response exchanges, then close. The first
/// packet of a connection meets <see cref="NodeNetfilter"/> on each node that tracks it; later
/// packets follow conntrack.
/// </summary>
/// <remarks>
/// <para>Where the translation happens: on the client's node for connections from pods (its
/// first hop), and on the node the load balancer picked for connections from the Internet,
/// when the SYN gets there; the rest of the route depends on the endpoint chosen, so the SYN
/// is delivered to that node, translated, and sent on.</para>
/// <para>Connection state lives in a <see cref="RecordPool{T}"/> addressed by the event
/// argument and the message flow id, so a late message of a finished connection is
/// recognised and ignored. Every SYN (first or retransmitted) is counted and arms the
/// retransmission timer when the client sends it; a drop anywhere on its way only records
/// the cause, and the timer decides what happens next — the one way a drop is handled.</para>
/// <para>Timing (Linux defaults): the SYN retransmission timeout starts at 1 s and doubles,
/// tcp_syn_retries = 6; data is retransmitted after TCP_RTO_MIN = 200 ms. A service with no
/// endpoint is rejected at once (kube-proxy's REJECT rule answers with ICMP unreachable). A SYN
/// that a stale rule sent to a pod that is gone waits for the neighbour resolution of its
/// address to fail before an ICMP host unreachable ends it (see <see cref="NeighbourResolutionTime"/>).</para>
/// </remarks>
public sealed partial class ConnectionEngine : IEventTarget, IMessageSink
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
        HostUnreachable,
        Retransmit,
    }

    private const int SynRetries = 6;
    private const ushort HttpsPort = 443;
    private const ushort FirstNodePort = 30000;
    private static readonly PortRange EphemeralPorts = PortRange.LinuxEphemeral;
    private static readonly SimTime InitialSynTimeout = SimTime.FromSeconds(1);
    private static readonly SimTime DataRetransmitTimeout = SimTime.FromMilliseconds(200);

    /// <summary>
    /// How long a node resolves a neighbour address that nobody answers before it gives up and
    /// sends ICMP host unreachable for the packets it queued: net.ipv4.neigh.default.mcast_solicit
    /// (3 probes) × retrans_time_ms (1,000 ms) — the kernel sends a probe when the entry enters
    /// INCOMPLETE and one per timer tick, and neigh_timer_handler marks it FAILED and calls
    /// neigh_invalidate (which reports each queued packet through arp_error_report →
    /// icmp_send(ICMP_HOST_UNREACH)) on the tick after the last probe (torvalds/linux
    /// net/core/neighbour.c, net/ipv4/arp.c; defaults in Documentation/networking/ip-sysctl.rst).
    /// </summary>
    public static readonly SimTime NeighbourResolutionTime = SimTime.FromSeconds(3);

    private readonly Simulator _simulator;
    private readonly ClusterOptions _options;
    private readonly PodTable _pods;
    private readonly ServiceCatalog _catalog;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly IReadOnlyList<KubeProxy> _kubeProxies;
    private readonly NodeNetfilter _netfilter;
    private readonly IServiceProxy _proxy;
    private readonly NatGateway _gateway;
    private readonly IngressController _ingress;
    private readonly IDataPlaneObserver _observer;
    private readonly IReadOnlyList<TrafficProfile> _profiles;
    private readonly PodSourcePorts _sourcePorts;
    private readonly ConnectionMessages _messages;
    private readonly System.Random _random;
    private readonly RecordPool<Connection> _connections = new(256);
    private Endpoint[] _scratch = new Endpoint[16];
    private long _internetClients;

    public ConnectionEngine(ClusterModel cluster, NodeNetfilter netfilter, PodSourcePorts sourcePorts, IDataPlaneObserver observer, IReadOnlyList<TrafficProfile> profiles)
    {
        _simulator = cluster.Simulator;
        _options = cluster.Options;
        _pods = cluster.Pods;
        _catalog = cluster.Catalog;
        _nodes = cluster.Nodes;
        _kubeProxies = cluster.KubeProxies;
        _netfilter = netfilter;
        _proxy = cluster.Proxy;
        _gateway = cluster.Gateway;
        _ingress = cluster.Ingress;
        _observer = observer;
        _profiles = profiles;
        _sourcePorts = sourcePorts;
        _messages = new ConnectionMessages(cluster, _simulator);
        _random = _simulator.Random.Stream("connections");
    }

    /// <summary>The forwarder carrying this engine's messages (for invariant checks).</summary>
    public Forwarder Forwarder => _messages.Forwarder;

    /// <summary>Connections open or opening now (abandoned ones whose gateway mapping waits out its idle timeout included).</summary>
    public int Active => _connections.Count;

    /// <summary>Opens a connection from <paramref name="clientPod"/> to the ClusterIP of <paramref name="service"/>.</summary>
    public void OpenToService(int clientPod, int service, int profile)
    {
        int index = OpenFromPod(ConnectionKind.PodToService, clientPod, profile, _catalog.ClusterIp(service), _catalog.Port);
        _connections[index].Service = service;
        TransmitSyn(index);
    }

    /// <summary>Opens a connection from <paramref name="clientPod"/> straight to <paramref name="serverPod"/>'s IP (no NAT anywhere).</summary>
    public void OpenToPod(int clientPod, int serverPod, int profile)
    {
        int index = OpenFromPod(ConnectionKind.PodToPod, clientPod, profile, _pods.IpOf(serverPod), _catalog.Port);
        SetServer(index, new Endpoint(serverPod, _pods.GenerationOf(serverPod)));
        TransmitSyn(index);
    }

    /// <summary>Opens a connection from <paramref name="clientPod"/> to Internet host <paramref name="destination"/> on port 443.</summary>
    public void OpenToInternet(int clientPod, int destination, int profile)
    {
        int index = OpenFromPod(ConnectionKind.PodToInternet, clientPod, profile, InternetOptions.HostAddress(destination), HttpsPort);
        ref Connection c = ref _connections[index];
        c.ServerIp = c.Original.DestinationIp;
        TransmitSyn(index);
    }

    /// <summary>
    /// Opens a connection from a new Internet client to the LoadBalancer of the ingress
    /// backend Service, or to the ingress controllers' LoadBalancer Service.
    /// </summary>
    public void OpenFromInternet(bool viaController, int profile)
    {
        int index = Open(viaController ? ConnectionKind.IngressController : ConnectionKind.LoadBalancer, profile);
        ref Connection c = ref _connections[index];
        c.Service = _ingress.FrontedService(viaController);
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
        TransmitSyn(index);
    }

    private int Open(ConnectionKind kind, int profile)
    {
        int index = _connections.Allocate();
        ref Connection c = ref _connections[index];
        c = default;
        c.Phase = ConnectionPhase.AwaitingSynAck;
        c.Kind = kind;
        c.Profile = profile;
        c.ClientPod = -1;
        c.Service = -1;
        c.Endpoint = Endpoint.None;
        c.Upstream = Endpoint.None;
        c.ServerNode = -1;
        c.ClientEntry = ConntrackEntryId.None;
        c.ServerEntry = ConntrackEntryId.None;
        c.ClientBpfEntry = BpfEntryId.None;
        c.ServerBpfEntry = BpfEntryId.None;
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
        c.Original = new FlowTuple(_pods.IpOf(clientPod), _sourcePorts.Next(clientPod), destination, port, IpProtocol.Tcp);
        return index;
    }

    private void SetServer(int index, Endpoint endpoint)
    {
        ref Connection c = ref _connections[index];
        c.Endpoint = endpoint;
        c.ServerNode = _pods.NodeOf(endpoint.Pod);
        c.ServerIp = _pods.IpOf(endpoint.Pod);
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
                PassGateway(index);
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
            case EventKind.HostUnreachable:
                OnHostUnreachable(index);
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
                AdmitAtEntry(index);
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
            _simulator.Schedule(_ingress.Process(c.Endpoint.Pod, _simulator.Now), this, (int)EventKind.ControllerForwards, FlowId(index));
        else
            RespondAfterServerTime(index);
    }

    private void ForwardUpstream(int index)
    {
        if (!_ingress.TryRoute(_random, out _connections[index].Upstream))
        {
            _observer.Dropped(DropCause.NoEndpoint);
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        Send(index, MessageKind.UpstreamRequest);
    }

    private void OnUpstreamRequestAtBackend(int index)
    {
        ref Connection c = ref _connections[index];
        _ingress.Delivered(c.ServerIp, c.Upstream, c.SeenByServer.SourceIp, _catalog.Port);
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
        Observe(c.ClientNode, c.ClientEntry, c.ClientBpfEntry, ConntrackState.TcpTimeWait);
        if (c.ServerNode >= 0) Observe(c.ServerNode, c.ServerEntry, c.ServerBpfEntry, ConntrackState.TcpTimeWait);
        _observer.ConnectionCompleted(c.StartedAt);
        Release(index);
    }

    /// <summary>
    /// The connection gives up. Its conntrack entries are left to time out, as the kernel leaves
    /// them; a gateway mapping is held until the gateway's transitory idle timeout (the handshake
    /// never completed), since no FIN tells the gateway the flow is over.
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
        c.Phase = ConnectionPhase.Abandoned;
        _simulator.ScheduleAfter(_options.NatGateway.TransitoryIdleTimeout, this, (int)EventKind.GatewayIdleTimeout, FlowId(index));
    }

    /// <summary>Gives back everything the connection holds itself (conntrack entries hold the rest until they go).</summary>
    private void Release(int index)
    {
        ref Connection c = ref _connections[index];
        _simulator.Cancel(c.SynTimer);
        if (c.HasGatewayMapping) _gateway.Release(_simulator.Now, c.GatewayMapping);
        if (c.Admitted && c.Service >= 0 && c.Endpoint.Exists) _proxy.ConnectionClosed(c.ClientNode, c.Endpoint);
        c.Phase = ConnectionPhase.Free;
        _connections.Release(index);
    }

    /// <summary>A packet moved the flow to <paramref name="state"/> on <paramref name="node"/>: its conntrack entry, or its eBPF CT entry, follows (stale ids are ignored).</summary>
    private void Observe(int node, ConntrackEntryId entry, BpfEntryId ebpfEntry, ConntrackState state)
    {
        Node host = _nodes[node];
        host.Conntrack.SetState(_simulator.Now, entry, state);
        host.Ebpf?.Observe(ebpfEntry, state);
    }

    private void Send(int index, MessageKind kind) => _messages.Send(_connections[index], kind, FlowId(index), this);

    private long SampleBytes(Kernel.Sampling.Sampler sampler) => Math.Max(1, (long)Math.Round(sampler.Sample(_random)));

    private long FlowId(int index) => _connections.IdOf(index);

    private bool TryResolve(long flow, out int index) => _connections.TryResolve(flow, out index);
}
