namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The Services in the cluster: how many, endpoints each, and the service port.</summary>
public sealed record ServicesSpec
{
    public int Count { get; init; } = 100;
    public int EndpointsPerService { get; init; } = 10;
    public int Port { get; init; } = 80;
}
