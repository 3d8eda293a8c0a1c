using System.Text.Json.Serialization;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// A Service's <c>externalTrafficPolicy</c>. Spelled as in Kubernetes (<c>Cluster</c>, <c>Local</c>),
/// so a value can be copied from a manifest.
/// </summary>
public enum ExternalTrafficPolicy
{
    /// <summary>Any node forwards to any endpoint (an extra hop and SNAT).</summary>
    [JsonStringEnumMemberName("Cluster")]
    Cluster,
    /// <summary>Only nodes with a local endpoint receive traffic; the client IP is kept.</summary>
    [JsonStringEnumMemberName("Local")]
    Local,
}
