using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// What a node's netfilter did with the first packet of a new flow: admitted it (translated,
/// tracked, at a CPU cost) or dropped it, with the cause. A dropped flow holds nothing: any
/// source port taken on the way was given back.
/// </summary>
public readonly struct NetfilterVerdict
{
    private NetfilterVerdict(DropCause? dropped, SimTime work, in FlowTuple original, in FlowTuple translated, Endpoint endpoint,
        ConntrackEntryId conntrackEntry, bool holdsSnatPort)
    {
        Dropped = dropped;
        Work = work;
        Original = original;
        Translated = translated;
        Endpoint = endpoint;
        ConntrackEntry = conntrackEntry;
        HoldsSnatPort = holdsSnatPort;
    }

    /// <summary>Why the packet was dropped; null when it was admitted.</summary>
    public DropCause? Dropped { get; }

    /// <summary>Whether the packet was admitted.</summary>
    public bool Admitted => Dropped is null;

    /// <summary>The node's CPU work: the proxy's rule walk or lookup, and the conntrack insertion.</summary>
    public SimTime Work { get; }

    /// <summary>The flow as the client sent it (its source port may differ from the one asked for, after a clash).</summary>
    public FlowTuple Original { get; }

    /// <summary>The flow as it leaves the node: after DNAT to the endpoint and any MASQUERADE.</summary>
    public FlowTuple Translated { get; }

    /// <summary>The endpoint a Service flow was sent to; pod −1 for flows to no Service.</summary>
    public Endpoint Endpoint { get; }

    /// <summary>The flow's conntrack entry on the node; none when the flow is not tracked.</summary>
    public ConntrackEntryId ConntrackEntry { get; }

    /// <summary>
    /// Whether the flow holds a MASQUERADE source port that no conntrack entry will give back
    /// (an untracked flow): its owner releases it when the flow ends.
    /// </summary>
    public bool HoldsSnatPort { get; }

    /// <summary>The packet was dropped for <paramref name="cause"/>.</summary>
    public static NetfilterVerdict Drop(DropCause cause) => new(cause, SimTime.Zero, default, default, Endpoint.None, ConntrackEntryId.None, false);

    /// <summary>The packet was admitted.</summary>
    public static NetfilterVerdict Admit(SimTime work, in FlowTuple original, in FlowTuple translated, Endpoint endpoint, ConntrackEntryId conntrackEntry, bool holdsSnatPort) =>
        new(null, work, original, translated, endpoint, conntrackEntry, holdsSnatPort);
}
