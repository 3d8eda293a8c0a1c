using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// A worker node: its address, pod CIDR, packet-processing cores, NIC links to and from its
/// rack switch, conntrack table, and the CPU stages a packet crosses in its host network
/// namespace (each a fixed cost per packet, or per GRO/TSO batch, on the core its flow is
/// steered to).
/// </summary>
public sealed class Node : IConntrackRemovalListener
{
    public Node(int index, int rack, IPv4Address address, Ipv4Cidr podCidr, Cpu cpu, Link uplink, Link downlink,
        ConntrackTable conntrack, SnatPortAllocator snat, ClusterOptions options, EbpfNodeMaps? ebpf = null)
    {
        Ebpf = ebpf;
        Snat = snat;
        conntrack.RemovalListener = this;
        Index = index;
        Rack = rack;
        Address = address;
        PodCidr = podCidr;
        Cpu = cpu;
        Uplink = uplink;
        Downlink = downlink;
        Conntrack = conntrack;
        DataPlaneCosts costs = options.Costs;
        var forwarding = costs.ForwardingPerPacket + costs.ConntrackLookup;
        var wire = options.Cni == CniMode.Vxlan ? forwarding + costs.VxlanPerPacket : forwarding;
        long batch = options.OffloadBatch.Bytes;
        Loopback = new CpuStage(cpu, Kernel.SimTime.Zero, costs.LoopbackPerPacket, batch);
        LocalForward = new CpuStage(cpu, Kernel.SimTime.Zero, forwarding, batch);
        ToWire = new CpuStage(cpu, Kernel.SimTime.Zero, wire, batch);
        FromWire = new CpuStage(cpu, Kernel.SimTime.Zero, wire, batch);
        ToOutside = new CpuStage(cpu, Kernel.SimTime.Zero, forwarding, batch);
        FromOutside = new CpuStage(cpu, Kernel.SimTime.Zero, forwarding, batch);
    }

    public int Index { get; }
    public int Rack { get; }
    public IPv4Address Address { get; }
    public Ipv4Cidr PodCidr { get; }
    public Cpu Cpu { get; }
    /// <summary>NIC to rack switch.</summary>
    public Link Uplink { get; }
    /// <summary>Rack switch to NIC.</summary>
    public Link Downlink { get; }
    public ConntrackTable Conntrack { get; }
    /// <summary>MASQUERADE source ports toward each destination.</summary>
    public SnatPortAllocator Snat { get; }
    /// <summary>Cilium's CT and NAT maps on this node; null unless the proxy mode is eBPF.</summary>
    public EbpfNodeMaps? Ebpf { get; }

    /// <summary>Between containers of one pod: loopback in the pod's namespace, no veth.</summary>
    public CpuStage Loopback { get; }
    /// <summary>Pod to pod on this node: veth → bridge → veth, netfilter with conntrack.</summary>
    public CpuStage LocalForward { get; }
    /// <summary>Pod to NIC toward another node: veth, routing, netfilter, encapsulation in an overlay.</summary>
    public CpuStage ToWire { get; }
    /// <summary>NIC to pod from another node: decapsulation in an overlay, netfilter, bridge, veth.</summary>
    public CpuStage FromWire { get; }
    /// <summary>Pod to NIC toward the Internet: veth, routing, netfilter; never encapsulated (the overlay spans the nodes only).</summary>
    public CpuStage ToOutside { get; }
    /// <summary>NIC to pod, or to the host's forwarding, from the Internet: never encapsulated.</summary>
    public CpuStage FromOutside { get; }

    /// <summary>A masqueraded flow's source port is held until its conntrack entry goes (TIME_WAIT included).</summary>
    void IConntrackRemovalListener.EntryRemoved(ConntrackEntryId id, in FlowTuple original, in FlowTuple reply)
    {
        if (reply.DestinationIp == Address) Snat.Release(reply.Reversed());
    }
}
