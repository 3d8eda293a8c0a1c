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

    /// <summary>The problems with these options alone (empty when valid), named by property.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        if (ControllerReplicas < 1) problems.Add(new(nameof(ControllerReplicas), "at least 1", ClusterOptions.Text(ControllerReplicas)));
        if (ControllerCores < 1) problems.Add(new(nameof(ControllerCores), "at least 1", ClusterOptions.Text(ControllerCores)));
        if (Hosts < 1) problems.Add(new(nameof(Hosts), "at least 1", ClusterOptions.Text(Hosts)));
        if (BackendService < 0) problems.Add(new(nameof(BackendService), "at least 0", ClusterOptions.Text(BackendService)));
        return problems;
    }
}
