using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;


namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// The cluster's shape and data plane. Address rule: <see cref="PodCidr"/> must hold
/// <see cref="Nodes"/> blocks of prefix <see cref="NodeCidrPrefix"/>, and each node block must hold
/// <see cref="PodsPerNode"/> pods in its 2^(32 − prefix) − 2 usable addresses (network and broadcast excluded).
/// </summary>
public sealed record ClusterSpec
{
    public int Nodes { get; init; } = 3;
    public int PodsPerNode { get; init; } = 10;
    public Ipv4Cidr PodCidr { get; init; } = Ipv4Cidr.Parse("10.244.0.0/16");
    /// <summary>Prefix length of each node's pod CIDR (kube-controller-manager's --node-cidr-mask-size).</summary>
    public int NodeCidrPrefix { get; init; } = 24;
    /// <summary>Racks the nodes are spread over (round robin); the unit of partitioning for parallel runs.</summary>
    public int Racks { get; init; } = 1;
    public NodeSpec Node { get; init; } = new();
    public FabricSpec Fabric { get; init; } = new();
    public CniSpec Cni { get; init; } = new();
    public KubeProxySpec KubeProxy { get; init; } = new();
    public ConntrackSpec Conntrack { get; init; } = new();
    /// <summary>The nodes' Linux release (<c>kernel: "6.8"</c>); null means the library's default.</summary>
    public KernelVersion? Kernel { get; init; }
    /// <summary>Overrides of calibrated data-plane costs, by parameter name, in file order.</summary>
    public IReadOnlyDictionary<string, SimTime> Costs { get; init; } = new OrderedDictionary<string, SimTime>();
}
