namespace ClusterNetPerf.Sim.Cluster;

/// <summary>The cluster's front door: the LoadBalancer Service's traffic policy and the L7 ingress controller.</summary>
public sealed record IngressOptions
{
    /// <summary>Ingress controller (L7 proxy) replicas.</summary>
    public int ControllerReplicas { get; init; } = 2;
    /// <summary>Cores each controller pod may use for request processing.</summary>
    public int ControllerCores { get; init; } = 2;
    public ExternalTrafficPolicy ExternalTrafficPolicy { get; init; } = ExternalTrafficPolicy.Cluster;
    /// <summary>The Service the load balancer and the ingress rules route to (a Host/path rule maps every request to it).</summary>
    public int BackendService { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ControllerReplicas < 1) problems.Add($"ingress controllerReplicas must be at least 1, found {ControllerReplicas}");
        if (ControllerCores < 1) problems.Add($"ingress controllerCores must be at least 1, found {ControllerCores}");
        if (BackendService < 0) problems.Add($"ingress backendService must not be negative, found {BackendService}");
        return problems;
    }
}
