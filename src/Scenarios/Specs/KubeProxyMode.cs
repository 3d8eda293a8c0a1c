namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The kube-proxy data-plane implementation (YAML: <c>iptables</c>, <c>ipvs</c>, <c>nftables</c>, <c>ebpf</c>).</summary>
public enum KubeProxyMode
{
    /// <summary>netfilter nat-table chains walked in order: first-packet cost linear in the number of services.</summary>
    Iptables,
    /// <summary>IPVS virtual servers in a hash table: constant lookup.</summary>
    Ipvs,
    /// <summary>nftables verdict maps: constant lookup, incremental rule updates.</summary>
    Nftables,
    /// <summary>eBPF service maps (Cilium-style kube-proxy replacement).</summary>
    Ebpf,
}
