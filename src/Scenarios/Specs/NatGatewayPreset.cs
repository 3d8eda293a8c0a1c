using System.Text.Json.Serialization;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// A cloud's documented NAT behaviour (<c>egress.natGateway.preset</c>); the values and their
/// sources are in <see cref="Sim.Cluster.Edge.NatGatewayOptions"/> and docs/model-reference.md, "Cloud NAT".
/// </summary>
public enum NatGatewayPreset
{
    /// <summary>AWS NAT Gateway.</summary>
    [JsonStringEnumMemberName("aws")]
    Aws,
    /// <summary>GCP Cloud NAT, static port allocation.</summary>
    [JsonStringEnumMemberName("gcp")]
    Gcp,
    /// <summary>Azure Load Balancer outbound SNAT, default port allocation by pool size.</summary>
    [JsonStringEnumMemberName("azure-lb")]
    AzureLb,
    /// <summary>Azure NAT Gateway.</summary>
    [JsonStringEnumMemberName("azure-natgw")]
    AzureNatgw,
}
