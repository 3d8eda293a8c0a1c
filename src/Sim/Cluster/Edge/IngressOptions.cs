namespace ClusterNetPerf.Sim.Cluster.Edge;

/// <summary>The cluster's front door: the LoadBalancer Service's traffic policy and the L7 ingress controller.</summary>
public sealed record IngressOptions
{
    /// <summary>Ingress controller (L7 proxy) replicas.</summary>
    public int ControllerReplicas { get; init; } = 2;
    /// <summary>Cores each controller pod may use for request processing.</summary>
    public int ControllerCores { get; init; } = 2;
    public ExternalTrafficPolicy ExternalTrafficPolicy { get; init; } = ExternalTrafficPolicy.Cluster;
    /// <summary>The Service the LoadBalancer fronts, and the first Service the ingress rules route to.</summary>
    public int BackendService { get; init; }
    /// <summary>Host names the ingress rules know; a request for host i (uniform) is routed to Service BackendService + i (mod the Service count).</summary>
    public int Hosts { get; init; } = 1;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ControllerReplicas < 1) problems.Add($"ingress controllerReplicas must be at least 1, found {ControllerReplicas}");
        if (ControllerCores < 1) problems.Add($"ingress controllerCores must be at least 1, found {ControllerCores}");
        if (Hosts < 1) problems.Add($"ingress hosts must be at least 1, found {Hosts}");
        if (BackendService < 0) problems.Add($"ingress backendService must not be negative, found {BackendService}");
        return problems;
    }
}
