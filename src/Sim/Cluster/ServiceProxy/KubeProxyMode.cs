namespace ClusterNetPerf.Sim.Cluster.ServiceProxy;

/// <summary>How kube-proxy (or its replacement) translates Service IPs on a node.</summary>
public enum KubeProxyMode
{
    /// <summary>Linear nat-table chains: KUBE-SERVICES → KUBE-SVC-* → KUBE-SEP-*.</summary>
    Iptables,
    /// <summary>IPVS virtual services (hash tables) with ipset-based iptables rules of constant count.</summary>
    Ipvs,
    /// <summary>nftables verdict maps: one lookup per new connection.</summary>
    Nftables,
    /// <summary>eBPF service maps (Cilium kube-proxy replacement), translated at the socket; no nf_conntrack entries.</summary>
    Ebpf,
}
