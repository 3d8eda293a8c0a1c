using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Ebpf;
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
/// <para>In eBPF mode (Cilium's kube-proxy replacement) netfilter sees none of this: the
/// Service is translated at the socket, the flow gets an entry in the node's eBPF CT map, and
/// a flow leaving the cluster (or a NodePort flow forwarded to another node) is masqueraded
/// from the node's eBPF NAT map (<see cref="EbpfNodeMaps"/>); a Service the LB maps had no room
/// for is not translated at all (<see cref="EbpfServiceMaps"/>).</para>
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
    private readonly EbpfServiceMaps? _ebpfServices;

    /// <param name="ebpfServices">Cilium's LB maps in eBPF mode; null otherwise.</param>
    public NodeNetfilter(Simulator simulator, IReadOnlyList<Node> nodes, IServiceProxy proxy, DataPlaneCosts costs, PodTable pods, PodSourcePorts sourcePorts,
        EbpfServiceMaps? ebpfServices = null)
    {
        _ebpfServices = ebpfServices;
        _simulator = simulator;
        _nodes = nodes;
        _proxy = proxy;
        _costs = costs;
        _pods = pods;
        _sourcePorts = sourcePorts;
    }

    /// <summary>Whether this mode's flows get nf_conntrack entries (every mode but eBPF, whose flows are in its own maps).</summary>
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
        if (_ebpfServices is not null && !_ebpfServices.IsProgrammed(service)) return NetfilterVerdict.Drop(DropCause.EbpfMapFull);
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

    private NetfilterVerdict Confirm(int node, int clientPod, FlowTuple original, IPv4Address destination, ushort destinationPort,
        Endpoint endpoint, bool masquerade, ConntrackState state, SimTime work)
    {
        Node host = _nodes[node];
        if (host.Ebpf is EbpfNodeMaps maps) return ConfirmEbpf(host, maps, original, destination, destinationPort, endpoint, masquerade, work);
        for (int attempt = 0; attempt < PortClashRetries; attempt++)
        {
            var translated = new FlowTuple(original.SourceIp, original.SourcePort, destination, destinationPort, original.Protocol);
            if (masquerade)
            {
                // MASQUERADE chooses a port toward the destination as it stands after DNAT.
                if (!host.Snat.TryAllocate(translated, out ushort port)) return NetfilterVerdict.Drop(DropCause.SnatPorts);
                translated = new FlowTuple(host.Address, port, destination, destinationPort, original.Protocol);
            }

            ConntrackInsertResult result = host.Conntrack.TryInsert(_simulator.Now, original, translated.Reversed(), state, out ConntrackEntryId entry);
            if (result == ConntrackInsertResult.Inserted)
                return NetfilterVerdict.Admit(work + _costs.ConntrackInsert, original, translated, endpoint, entry);
            if (masquerade) host.Snat.Release(translated);
            if (result == ConntrackInsertResult.TableFull || clientPod < 0) return NetfilterVerdict.Drop(DropCause.ConntrackFull);
            original = original with { SourcePort = _sourcePorts.Next(clientPod) };
        }
        return NetfilterVerdict.Drop(DropCause.ConntrackFull);
    }

    /// <summary>
    /// Cilium's datapath: the CT lookup misses and creates the flow's entry (a full hash map drops
    /// the packet), then BPF masquerading maps the source to the node's address from the NAT map.
    /// A NAT failure leaves the CT entry to expire, as the datapath does.
    /// </summary>
    private static NetfilterVerdict ConfirmEbpf(Node host, EbpfNodeMaps maps, in FlowTuple original, IPv4Address destination, ushort destinationPort,
        Endpoint endpoint, bool masquerade, SimTime work)
    {
        var translated = new FlowTuple(original.SourceIp, original.SourcePort, destination, destinationPort, original.Protocol);
        if (!maps.TryTrack(translated, out BpfEntryId entry)) return NetfilterVerdict.Drop(DropCause.EbpfMapFull);
        if (masquerade)
        {
            if (maps.TrySnat(translated, entry, out ushort port) is DropCause cause) return NetfilterVerdict.Drop(cause);
            translated = new FlowTuple(host.Address, port, destination, destinationPort, original.Protocol);
        }
        return NetfilterVerdict.AdmitEbpf(work, original, translated, endpoint, entry);
    }
}
