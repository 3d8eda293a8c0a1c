using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// The trace sources of the data plane. Models call these as things happen; a collector
/// (or a test) attaches and decides what to keep — models never aggregate or write results.
/// Each connection event carries the time the connection started, so a collector can tell
/// warm-up connections from measured ones.
/// </summary>
public interface IDataPlaneObserver
{
    /// <summary>A client sent the first packet of a new connection.</summary>
    void ConnectionOffered(SimTime startedAt);

    /// <summary>The client received the SYN-ACK (or first reply) <paramref name="latency"/> after its first SYN.</summary>
    void SetupCompleted(SimTime startedAt, SimTime latency);

    /// <summary>A request's response arrived <paramref name="latency"/> after the request left; <paramref name="applicationBytes"/> moved.</summary>
    void RequestCompleted(SimTime startedAt, SimTime latency, long applicationBytes);

    /// <summary>The connection finished all its requests.</summary>
    void ConnectionCompleted(SimTime startedAt);

    /// <summary>The connection gave up.</summary>
    void ConnectionFailed(SimTime startedAt, DropCause cause);

    /// <summary>A packet or new flow was dropped.</summary>
    void Dropped(DropCause cause);

    /// <summary>A node's rules came to reflect a change <paramref name="latency"/> after the API server made it.</summary>
    void RuleSynced(int node, SimTime latency);

    /// <summary>
    /// <paramref name="node"/>'s kube-proxy finished a sync it started at <paramref name="startedAt"/> and that took
    /// <paramref name="duration"/>; its nat table now holds <paramref name="natRules"/> rules (iptables mode).
    /// </summary>
    void SyncCompleted(int node, SimTime startedAt, SimTime duration, bool full, long natRules)
    {
    }

    /// <summary>A DNS lookup got both its answers <paramref name="latency"/> after it started; <paramref name="timedOut"/> if a query had to wait for the resolver's timeout.</summary>
    void DnsLookupCompleted(SimTime startedAt, SimTime latency, bool timedOut)
    {
    }

    /// <summary>The ingress controller forwarded a request: the backend sees <paramref name="seen"/> and the X-Forwarded-For header <paramref name="forwardedFor"/>.</summary>
    void RequestForwarded(in FlowTuple seen, IPv4Address forwardedFor)
    {
    }

    /// <summary>A handshake packet reached its receiver carrying <paramref name="seen"/> (after any NAT): the server's SYN, or the client's SYN-ACK.</summary>
    void HandshakeDelivered(in FlowTuple seen, bool atServer)
    {
    }
}
