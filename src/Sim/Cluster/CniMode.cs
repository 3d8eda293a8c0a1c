namespace ClusterNetPerf.Sim.Cluster;

/// <summary>How the CNI plugin carries pod traffic between nodes.</summary>
public enum CniMode
{
    /// <summary>Direct routing (Calico BGP, flannel host-gw): no encapsulation.</summary>
    Routed,
    /// <summary>VXLAN overlay (flannel VXLAN, Calico VXLAN): 50 bytes more per packet (IPv4) and encap/decap CPU.</summary>
    Vxlan,
}
