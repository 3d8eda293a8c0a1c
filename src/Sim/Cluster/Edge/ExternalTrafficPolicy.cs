using System.Text.Json.Serialization;

namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>How a LoadBalancer or NodePort Service treats traffic from outside the cluster; spelled as in a Service manifest.</summary>
public enum ExternalTrafficPolicy
{
    /// <summary>Any node accepts and forwards to any endpoint, SNATing to its own IP when the endpoint is elsewhere: an extra hop, and the client IP is lost.</summary>
    [JsonStringEnumMemberName("Cluster")]
    Cluster,
    /// <summary>Only nodes with a ready local endpoint receive traffic; no extra hop, the client IP is kept.</summary>
    [JsonStringEnumMemberName("Local")]
    Local,
}
