namespace ClusterNetPerf.Sim.Workloads;

/// <summary>Who talks to whom.</summary>
public enum WorkloadKind
{
    /// <summary>Pods call Services by ClusterIP (kube-proxy translation).</summary>
    ServiceCalls,
    /// <summary>Pods call pods by pod IP (no NAT), same node or across nodes.</summary>
    PodToPod,
    /// <summary>Pods resolve names through cluster DNS (A and AAAA over UDP).</summary>
    Dns,
}
