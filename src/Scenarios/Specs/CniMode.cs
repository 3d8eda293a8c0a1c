namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>How the CNI plugin carries pod traffic between nodes (YAML: <c>routed</c>, <c>vxlan</c>).</summary>
public enum CniMode
{
    /// <summary>Direct routing (Calico BGP, flannel host-gw): no encapsulation.</summary>
    Routed,
    /// <summary>VXLAN overlay: 50 bytes of encapsulation per packet and per-packet CPU on both ends.</summary>
    Vxlan,
}
