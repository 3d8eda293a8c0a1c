namespace ClusterNetPerf.Sim.Workloads;

/// <summary>Who talks to whom.</summary>
public enum WorkloadKind
{
    /// <summary>Pods call Services by ClusterIP (kube-proxy translation).</summary>
    ServiceCalls,
    /// <summary>Pods call pods by pod IP (no NAT), same node or across nodes.</summary>
    PodToPod,
    /// <summary>Pods call Internet hosts (node SNAT, then the gateway's NAT).</summary>
    Egress,
    /// <summary>Internet clients call the L7 ingress controller, which forwards to the backend Service.</summary>
    Ingress,
    /// <summary>Internet clients call the backend Service's LoadBalancer directly (NodePort on the chosen node).</summary>
    LoadBalancer,
    /// <summary>Pods resolve names through cluster DNS (A and AAAA over UDP).</summary>
    Dns,
}
