using ClusterNetPerf.Sim.Cluster.Edge;

namespace ClusterNetPerf.Sim.Cluster.Connections;

/// <summary>The paths a connection can take (docs/design.md, "The paths modelled", items 1–6).</summary>
public enum ConnectionKind : byte
{
    /// <summary>A pod calls a Service's ClusterIP; kube-proxy DNATs on the client's node.</summary>
    PodToService,
    /// <summary>A pod calls a pod's IP: no NAT anywhere (loopback, same node, or across nodes).</summary>
    PodToPod,
    /// <summary>A pod calls an Internet host: the node MASQUERADEs, the gateway NATs to a public IP.</summary>
    PodToInternet,
    /// <summary>An Internet client calls a LoadBalancer Service: the load balancer picks a node, whose NodePort rules DNAT (and SNAT under the Cluster policy when the endpoint is elsewhere).</summary>
    LoadBalancer,
    /// <summary>An Internet client calls the L7 ingress controller (through its LoadBalancer), which forwards each request to a backend over a kept-alive upstream connection.</summary>
    IngressController,
}
