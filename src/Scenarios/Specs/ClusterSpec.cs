using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Ebpf;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// The cluster's shape and data plane. Defaults are <see cref="ClusterOptions.Default"/>'s; the address
/// rule and every range are checked by <see cref="ClusterOptions.Validate"/>.
/// </summary>
public sealed record ClusterSpec
{
    public int Nodes { get; init; } = ClusterOptions.Default.Nodes;
    public int PodsPerNode { get; init; } = ClusterOptions.Default.PodsPerNode;
    public Ipv4Cidr PodCidr { get; init; } = ClusterOptions.Default.PodCidr;
    /// <summary>Prefix length of each node's pod CIDR (kube-controller-manager's --node-cidr-mask-size).</summary>
    public int NodeCidrPrefix { get; init; } = ClusterOptions.Default.NodeCidrPrefix;
    /// <summary>Racks the nodes are spread over (round robin); the unit of partitioning for parallel runs.</summary>
    public int Racks { get; init; } = ClusterOptions.Default.Racks;
    public NodeSpec Node { get; init; } = new();
    public FabricSpec Fabric { get; init; } = new();
    public CniSpec Cni { get; init; } = new();
    public KubeProxySpec KubeProxy { get; init; } = new();
    public ConntrackSpec Conntrack { get; init; } = new();
    /// <summary>Cilium's maps in eBPF mode (<c>cluster.ebpf</c>), read straight into the library's options and their defaults.</summary>
    public EbpfOptions Ebpf { get; init; } = new();
    /// <summary>The nodes' Linux release (<c>kernel: "6.8"</c>); null means the library's default.</summary>
    public KernelVersion? Kernel { get; init; }
    /// <summary>Overrides of calibrated data-plane costs, by parameter name, in file order.</summary>
    public IReadOnlyDictionary<string, SimTime> Costs { get; init; } = new OrderedDictionary<string, SimTime>();
}
