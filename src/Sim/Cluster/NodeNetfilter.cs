using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// The first packet of a new flow in a node's netfilter, in the kernel's order: the nat
/// table's service rules pick an endpoint and DNAT to it (PREROUTING/OUTPUT), MASQUERADE
/// rewrites the source to the node's address when the packet leaves the node for an address
/// that must answer the node (POSTROUTING), and conntrack confirms an entry that remembers
/// both, so later packets and replies follow it. Used alike by connections, DNS lookups and
/// traffic entering through a NodePort.
/// </summary>
/// <remarks>
/// <para>Every path that fails gives back what it took: a source port chosen by MASQUERADE is
/// released when the conntrack insertion that follows fails (nf_nat_core.c takes the port in
/// the tuple; if confirmation fails the entry, and with it the port, is freed).</para>
/// <para>A tuple still held (in TIME_WAIT, say) by an earlier flow of the same pod makes the
/// pod's socket take another source port, as the pod's own TCP stack avoids a tuple it still
/// holds; at most <see cref="PortClashRetries"/> times.</para>
/// <para>Work is O(1) in Services and endpoints, except the IPVS lc scheduler, which is
/// O(endpoints) as in the kernel.</para>
/// </remarks>
public sealed class NodeNetfilter
{
    /// <summary>Source ports a pod's socket tries when its tuple is still tracked.</summary>
    public const int PortClashRetries = 16;

    private readonly Simulator _simulator;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly IServiceProxy _proxy;
    private readonly DataPlaneCosts _costs;
    private readonly PodTable _pods;
    private readonly PodSourcePorts _sourcePorts;

    public NodeNetfilter(Simulator simulator, IReadOnlyList<Node> nodes, IServiceProxy proxy, DataPlaneCosts costs, PodTable pods, PodSourcePorts sourcePorts)
    {
        _simulator = simulator;
        _nodes = nodes;
        _proxy = proxy;
        _costs = costs;
        _pods = pods;
        _sourcePorts = sourcePorts;
    }

    /// <summary>Whether this mode's flows get nf_conntrack entries.</summary>
    public bool Tracks => _proxy.UsesConntrack;

    /// <summary>
    /// A new flow to Service <paramref name="service"/> meets <paramref name="node"/>'s rules:
    /// addressed to its ClusterIP from a pod of the node, or, when <paramref name="atNodePort"/>,
    /// to the node's NodePort from outside; in that case the node masquerades a flow it
    /// forwards to an endpoint on another node (externalTrafficPolicy Cluster).
    /// </summary>
    /// <param name="clientPod">The pod that opened the flow, or −1 for a client outside the cluster.</param>
    /// <param name="endpoints">The endpoints the node's rules know (its synced version; local ones only under the Local policy). Empty: the rules REJECT.</param>
    /// <param name="targetPort">The port the endpoints listen on.</param>
    public NetfilterVerdict ToService(int node, int clientPod, in FlowTuple original, int service, ReadOnlySpan<Endpoint> endpoints,
        ushort targetPort, bool atNodePort, ConntrackState state)
    {
        if (endpoints.IsEmpty) return NetfilterVerdict.Drop(DropCause.NoEndpoint);
        SimTime work = atNodePort
            ? _proxy.TranslateNodePort(node, service, endpoints, out int chosen)
            : _proxy.TranslateNewConnection(node, service, endpoints, out chosen);
        Endpoint endpoint = endpoints[chosen];
        bool masquerade = atNodePort && _pods.NodeOf(endpoint.Pod) != node;
        return Confirm(node, clientPod, original, _pods.IpOf(endpoint.Pod), targetPort, endpoint, masquerade, state, work);
    }

    /// <summary>
    /// A new flow to an address that is no Service's (a pod, an Internet host, or the pod a
    /// Service flow was DNATed to, arriving at its node): it walks the rules without a match,
    /// and is masqueraded when <paramref name="masquerade"/> (egress from the cluster).
    /// </summary>
    public NetfilterVerdict Direct(int node, int clientPod, in FlowTuple original, bool masquerade, ConntrackState state) =>
        Confirm(node, clientPod, original, original.DestinationIp, original.DestinationPort, Endpoint.None, masquerade, state,
            _proxy.NonServiceNewConnectionWork);

    /// <summary>Gives back the source port an untracked flow held (<see cref="NetfilterVerdict.HoldsSnatPort"/>).</summary>
    public void ReleaseSnatPort(int node, in FlowTuple translated) => _nodes[node].Snat.Release(translated);

    private NetfilterVerdict Confirm(int node, int clientPod, FlowTuple original, IPv4Address destination, ushort destinationPort,
        Endpoint endpoint, bool masquerade, ConntrackState state, SimTime work)
    {
        Node host = _nodes[node];
        for (int attempt = 0; attempt < PortClashRetries; attempt++)
        {
            var translated = new FlowTuple(original.SourceIp, original.SourcePort, destination, destinationPort, original.Protocol);
            if (masquerade)
            {
                // MASQUERADE chooses a port toward the destination as it stands after DNAT.
                if (!host.Snat.TryAllocate(translated, out ushort port)) return NetfilterVerdict.Drop(DropCause.SnatPorts);
                translated = new FlowTuple(host.Address, port, destination, destinationPort, original.Protocol);
            }
            if (!Tracks) return NetfilterVerdict.Admit(work, original, translated, endpoint, ConntrackEntryId.None, holdsSnatPort: masquerade);

            ConntrackInsertResult result = host.Conntrack.TryInsert(_simulator.Now, original, translated.Reversed(), state, out ConntrackEntryId entry);
            if (result == ConntrackInsertResult.Inserted)
                return NetfilterVerdict.Admit(work + _costs.ConntrackInsert, original, translated, endpoint, entry, holdsSnatPort: false);
            if (masquerade) host.Snat.Release(translated);
            if (result == ConntrackInsertResult.TableFull || clientPod < 0) return NetfilterVerdict.Drop(DropCause.ConntrackFull);
            original = original with { SourcePort = _sourcePorts.Next(clientPod) };
        }
        return NetfilterVerdict.Drop(DropCause.ConntrackFull);
    }
}
