using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Cluster;

/// <summary>
/// IPAM as the node IPAM controller and host-local plugin do it: node i owns the i-th
/// sub-prefix of the cluster CIDR; in it, .0 is the network, .1 the bridge (cbr0) gateway and
/// the last address the broadcast, so pods take the addresses in between, in turn.
/// </summary>
public static class PodAddressing
{
    /// <summary>Pod addresses in a node CIDR of the given prefix length (size − 3).</summary>
    public static long UsableAddresses(int nodeCidrPrefix) => (1L << (32 - nodeCidrPrefix)) - 3;

    /// <summary>The address of the <paramref name="slot"/>-th pod address of a node CIDR (slot from 0).</summary>
    public static IPv4Address PodAddress(Ipv4Cidr nodeCidr, long slot) => nodeCidr.Network + (uint)(2 + slot);
}
