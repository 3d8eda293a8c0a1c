using ClusterNetPerf.Sim.Cluster;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The Services in the cluster: how many, endpoints each, and the service port.</summary>
public sealed record ServicesSpec
{
    public int Count { get; init; } = ClusterOptions.Default.Services;
    public int EndpointsPerService { get; init; } = ClusterOptions.Default.EndpointsPerService;
    public int Port { get; init; } = ClusterOptions.Default.ServicePort;
}
