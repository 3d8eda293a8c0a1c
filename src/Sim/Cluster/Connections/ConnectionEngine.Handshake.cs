using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>The handshake: SYNs and their retransmission, each node's netfilter on the way, the gateway, and the SYN-ACK.</summary>
public sealed partial class ConnectionEngine
{
    /// <summary>The client sends a SYN (the first or a retransmission): counted, timed, and carried as far as the flow has got.</summary>
    private void TransmitSyn(int index)
    {
        ref Connection c = ref _connections[index];
        c.SynsSent++;
        ArmSynTimer(index);
        if (c.FromInternet) Send(index, c.Admitted ? MessageKind.Syn : MessageKind.SynToEntry);
        else if (!c.Admitted) AdmitAtClient(index);
        else if (c.Kind == ConnectionKind.PodToInternet && !c.HasGatewayMapping) PassGateway(index);
        else Send(index, MessageKind.Syn);
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
        if (c.Phase != ConnectionPhase.AwaitingSynAck) return;
        if (c.SynsSent > SynRetries) Fail(index, c.LastDrop);
        else TransmitSyn(index);
    }

    /// <summary>A drop on the first packet's way: recorded for the timer to act on; a rejected Service fails at once.</summary>
    private void FirstPacketDropped(int index, DropCause cause)
    {
        _observer.Dropped(cause);
        _connections[index].LastDrop = cause;
        if (cause == DropCause.NoEndpoint) Fail(index, cause);
    }

    /// <summary>The first packet of a pod's flow meets its own node's netfilter; loopback inside a pod meets none.</summary>
    private void AdmitAtClient(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.SamePod)
        {
            c.Admitted = true;
            c.LeftNode = c.SeenByServer = c.Original;
            Send(index, MessageKind.Syn);
            return;
        }
        NetfilterVerdict verdict = c.Kind switch
        {
            ConnectionKind.PodToService => _netfilter.ToService(c.ClientNode, c.ClientPod, c.Original, c.Service,
                _catalog.Endpoints(c.Service, _kubeProxies[c.ClientNode].SyncedVersion), _catalog.Port, atNodePort: false, ConntrackState.TcpSynSent),
            _ => _netfilter.Direct(c.ClientNode, c.ClientPod, c.Original, masquerade: c.Kind == ConnectionKind.PodToInternet, ConntrackState.TcpSynSent),
        };
        if (Accept(index, verdict)) ScheduleOnCpu(index, c.ClientNode, verdict.Work, EventKind.SynLeavesClient);
    }

    /// <summary>
    /// The SYN from the Internet reaches the node the load balancer chose: its NodePort rules
    /// pick an endpoint (a local one under the Local policy), DNAT to it, and masquerade when
    /// the endpoint is on another node under the Cluster policy.
    /// </summary>
    private void AdmitAtEntry(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Admitted)
        {
            Send(index, MessageKind.Syn);
            return;
        }
        ReadOnlySpan<Endpoint> candidates = _catalog.Endpoints(c.Service, _kubeProxies[c.ClientNode].SyncedVersion);
        if (_options.Ingress.ExternalTrafficPolicy == ExternalTrafficPolicy.Local) candidates = LocalTo(c.ClientNode, candidates);
        NetfilterVerdict verdict = _netfilter.ToService(c.ClientNode, clientPod: -1, c.Original, c.Service, candidates, _catalog.Port,
            atNodePort: true, ConntrackState.TcpSynSent);
        if (Accept(index, verdict)) ScheduleOnCpu(index, c.ClientNode, verdict.Work, EventKind.EntryTranslated);
    }

    /// <summary>Takes the translating node's verdict into the connection; false (and the drop recorded) if it was dropped.</summary>
    private bool Accept(int index, in NetfilterVerdict verdict)
    {
        if (verdict.Dropped is DropCause cause)
        {
            FirstPacketDropped(index, cause);
            return false;
        }
        ref Connection c = ref _connections[index];
        if (verdict.Endpoint.Exists) SetServer(index, verdict.Endpoint);
        c.Admitted = true;
        c.Original = verdict.Original;
        c.LeftNode = c.SeenByServer = verdict.Translated;
        c.ClientEntry = verdict.ConntrackEntry;
        c.ClientBpfEntry = verdict.EbpfEntry;
        return true;
    }

    private ReadOnlySpan<Endpoint> LocalTo(int node, ReadOnlySpan<Endpoint> endpoints)
    {
        if (_scratch.Length < endpoints.Length) _scratch = new Endpoint[endpoints.Length];
        int count = 0;
        foreach (Endpoint endpoint in endpoints)
            if (_pods.NodeOf(endpoint.Pod) == node) _scratch[count++] = endpoint;
        return _scratch.AsSpan(0, count);
    }

    private void ScheduleOnCpu(int index, int node, SimTime work, EventKind then) =>
        _simulator.Schedule(_nodes[node].Cpu.Process(_simulator.Now, work, FlowId(index)), this, (int)then, FlowId(index));

    /// <summary>Egress passes the cloud's NAT gateway, which maps the node's address and port to a public one.</summary>
    private void PassGateway(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Kind == ConnectionKind.PodToInternet && !c.HasGatewayMapping)
        {
            if (!_gateway.TryAllocate(_simulator.Now, c.LeftNode, out c.GatewayMapping))
            {
                FirstPacketDropped(index, DropCause.NatPortExhausted);
                return;
            }
            c.HasGatewayMapping = true;
            c.SeenByServer = c.GatewayMapping;
        }
        Send(index, MessageKind.Syn);
    }

    /// <summary>The SYN reaches the server's node: a flow that crossed nodes gets that node's own conntrack entry.</summary>
    private void OnSynAtServer(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != ConnectionPhase.AwaitingSynAck) return;
        if (c.Kind == ConnectionKind.PodToInternet)
        {
            _observer.HandshakeDelivered(c.SeenByServer, atServer: true);
            SendSynAck(index);
            return;
        }
        if (!_pods.IsCurrent(c.Endpoint.Pod, c.Endpoint.Generation))
        {
            SynToGonePod(index);
            return;
        }
        if (_nodes[c.ServerNode].Ebpf is EbpfNodeMaps maps)
        {
            // Cilium's to-container program tracks the flow in the server node's CT map too (an ingress entry,
            // keyed apart from an egress entry of the same tuple on the same node), whichever node the client is on.
            if (!maps.CtTcp.IsLive(c.ServerBpfEntry))
            {
                if (!maps.TryTrack(c.SeenByServer.Reversed(), out c.ServerBpfEntry))
                {
                    FirstPacketDropped(index, DropCause.EbpfMapFull);
                    return;
                }
            }
            _observer.HandshakeDelivered(c.SeenByServer, atServer: true);
            SendSynAck(index);
            return;
        }
        if (!_netfilter.Tracks || !c.CrossesNodes || _nodes[c.ServerNode].Conntrack.IsLive(_simulator.Now, c.ServerEntry))
        {
            _observer.HandshakeDelivered(c.SeenByServer, atServer: true);
            SendSynAck(index);
            return;
        }
        NetfilterVerdict verdict = _netfilter.Direct(c.ServerNode, clientPod: -1, c.SeenByServer, masquerade: false, ConntrackState.TcpSynSent);
        if (verdict.Dropped is DropCause cause)
        {
            FirstPacketDropped(index, cause);
            return;
        }
        c.ServerEntry = verdict.ConntrackEntry;
        _observer.HandshakeDelivered(c.SeenByServer, atServer: true);
        ScheduleOnCpu(index, c.ServerNode, verdict.Work, EventKind.ServerAccepted);
    }

    /// <summary>
    /// The rule that sent the SYN was stale: the pod is gone. Its address is free, so the node
    /// that owned it resolves it on the pod bridge, nobody answers, and after
    /// <see cref="NeighbourResolutionTime"/> it sends ICMP host unreachable; in SYN_SENT,
    /// tcp_v4_err gives the socket EHOSTUNREACH and tcp_done ends the connection
    /// (torvalds/linux net/ipv4/tcp_ipv4.c). SYNs retransmitted meanwhile join the same
    /// unresolved neighbour and change nothing. If another pod already holds the address, its
    /// kernel answers the SYN with a RST, and tcp_rcv_synsent_state_process → tcp_reset ends the
    /// connection at once (ECONNREFUSED).
    /// </summary>
    /// <remarks>The ICMP's own trip back (microseconds against seconds) is not modelled.</remarks>
    private void SynToGonePod(int index)
    {
        ref Connection c = ref _connections[index];
        _observer.Dropped(DropCause.NoEndpoint);
        c.LastDrop = DropCause.NoEndpoint;
        if (_pods.TryFindByIp(c.ServerIp, out _))
        {
            Fail(index, DropCause.NoEndpoint);
            return;
        }
        if (c.ResolvingNeighbour) return;
        c.ResolvingNeighbour = true;
        _simulator.ScheduleAfter(NeighbourResolutionTime, this, (int)EventKind.HostUnreachable, FlowId(index));
    }

    private void OnHostUnreachable(int index)
    {
        if (_connections[index].Phase == ConnectionPhase.AwaitingSynAck) Fail(index, DropCause.NoEndpoint);
    }

    private void SendSynAck(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != ConnectionPhase.AwaitingSynAck) return;
        if (c.ServerNode >= 0) Observe(c.ServerNode, c.ServerEntry, c.ServerBpfEntry, ConntrackState.TcpEstablished);
        Send(index, MessageKind.SynAck);
    }

    private void OnSynAckAtClient(int index)
    {
        ref Connection c = ref _connections[index];
        if (c.Phase != ConnectionPhase.AwaitingSynAck) return;
        _simulator.Cancel(c.SynTimer);
        _observer.HandshakeDelivered(SynAckAsSeenByClient(c), atServer: false);
        Observe(c.ClientNode, c.ClientEntry, c.ClientBpfEntry, ConntrackState.TcpEstablished);
        c.Phase = ConnectionPhase.Open;
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
        FlowTuple sent = c.LeftNode.Reversed();
        ConntrackTable table = _nodes[c.ClientNode].Conntrack;
        if (!c.ClientEntry.IsNone && table.TryLookup(_simulator.Now, sent, out ConntrackEntryId entry, out bool isReply) && isReply)
            return table.Original(entry).Reversed();
        return c.Original.Reversed();
    }
}
