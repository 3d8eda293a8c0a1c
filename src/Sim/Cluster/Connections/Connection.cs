using ClusterNetPerf.Sim.Cluster.ControlPlane;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>Where a connection stands in its life.</summary>
internal enum ConnectionPhase : byte
{
    Free,
    AwaitingSynAck,
    Open,
    /// <summary>Given up, but the gateway still holds its mapping until the idle timeout.</summary>
    Abandoned,
}

/// <summary>One TCP connection's state, pooled in the engine's <see cref="RecordPool{T}"/>.</summary>
internal struct Connection
{
    public ConnectionPhase Phase;
    public ConnectionKind Kind;
    public int Profile;
    public int ClientPod;
    /// <summary>The node whose netfilter translates the first packet: the client pod's, or the load balancer's pick.</summary>
    public int ClientNode;
    public int Service;
    public Endpoint Endpoint;
    public int ServerNode;
    public IPv4Address ServerIp;
    /// <summary>The flow as the client sent it.</summary>
    public FlowTuple Original;
    /// <summary>The flow as it left the translating node (after DNAT and MASQUERADE).</summary>
    public FlowTuple LeftNode;
    /// <summary>The flow as the server sees it (after the gateway's NAT too).</summary>
    public FlowTuple SeenByServer;
    public FlowTuple GatewayMapping;
    public bool HasGatewayMapping;
    /// <summary>The translating node admitted the first packet.</summary>
    public bool Admitted;
    public ConntrackEntryId ClientEntry;
    public ConntrackEntryId ServerEntry;
    /// <summary>The flow's entry in the translating node's eBPF CT map (eBPF mode).</summary>
    public BpfEntryId ClientBpfEntry;
    /// <summary>The flow's ingress entry in the server node's eBPF CT map (eBPF mode).</summary>
    public BpfEntryId ServerBpfEntry;
    public Endpoint Upstream;
    public SimTime StartedAt;
    public int SynsSent;
    /// <summary>A SYN reached the address of a pod that is gone; its node is resolving the address (ICMP host unreachable follows).</summary>
    public bool ResolvingNeighbour;
    public EventHandle SynTimer;
    public DropCause LastDrop;
    public int RequestsLeft;
    public SimTime RequestSentAt;
    public long RequestBytes;
    public long ResponseBytes;

    public readonly bool FromInternet => Kind is ConnectionKind.LoadBalancer or ConnectionKind.IngressController;

    public readonly bool SamePod => ClientPod >= 0 && Endpoint.Pod == ClientPod;

    /// <summary>Whether the pod-to-pod part of the path crosses between nodes (and so is encapsulated in an overlay).</summary>
    public readonly bool CrossesNodes => ServerNode >= 0 && ServerNode != ClientNode;
}
