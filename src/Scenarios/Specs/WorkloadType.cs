namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The kind of traffic a workload generates (YAML: camelCase of the member name).</summary>
public enum WorkloadType
{
    /// <summary>Pods calling Services through their ClusterIP (kube-proxy on the path).</summary>
    ServiceCalls,
    /// <summary>Pods calling pod IPs directly.</summary>
    PodToPod,
    /// <summary>Pods calling destinations on the Internet through SNAT and the NAT gateway.</summary>
    Egress,
    /// <summary>Internet clients calling through the load balancer and the ingress controller.</summary>
    Ingress,
    /// <summary>Pods resolving names through CoreDNS.</summary>
    Dns,
}
