using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Workloads;

/// <summary>An open-loop source of connections: Poisson arrivals at a cluster-wide rate.</summary>
public sealed record WorkloadOptions
{
    public WorkloadKind Kind { get; init; } = WorkloadKind.ServiceCalls;
    /// <summary>New connections per second across the cluster.</summary>
    public double ConnectionsPerSecond { get; init; } = 1000;
    public TrafficProfile Traffic { get; init; } = TrafficProfile.Default;
    /// <summary>podToPod: fraction of connections to a pod on the client's node.</summary>
    public double SameNodeFraction { get; init; } = 0.1;
    /// <summary>podToPod: fraction between containers of the client's own pod (loopback).</summary>
    public double SamePodFraction { get; init; }
    /// <summary>dns: fraction of lookups of names outside the cluster (the rest are Services of the pod's namespace).</summary>
    public double ExternalNameFraction { get; init; }

    /// <summary>The problems with these options (empty when valid), named by property.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        if (!(ConnectionsPerSecond > 0 && double.IsFinite(ConnectionsPerSecond)))
            problems.Add(new(nameof(ConnectionsPerSecond), "a finite rate greater than 0", ClusterOptions.Text(ConnectionsPerSecond)));
        if (Traffic.RequestsPerConnection < 1)
            problems.Add(new("Traffic.RequestsPerConnection", "at least 1", ClusterOptions.Text(Traffic.RequestsPerConnection)));
        if (Traffic.ServerTime < SimTime.Zero) problems.Add(new("Traffic.ServerTime", "a duration of zero or more", Traffic.ServerTime.ToString()));
        if (!(SameNodeFraction is >= 0 and <= 1)) problems.Add(new(nameof(SameNodeFraction), "a fraction between 0 and 1", ClusterOptions.Text(SameNodeFraction)));
        if (!(SamePodFraction is >= 0 and <= 1) || SamePodFraction + SameNodeFraction > 1)
            problems.Add(new(nameof(SamePodFraction), "a fraction between 0 and 1 − sameNodeFraction", ClusterOptions.Text(SamePodFraction)));
        if (!(ExternalNameFraction is >= 0 and <= 1))
            problems.Add(new(nameof(ExternalNameFraction), "internal (0), external (1) or a fraction of external names between 0 and 1", ClusterOptions.Text(ExternalNameFraction)));
        return problems;
    }

    /// <summary>Whether this kind of traffic is addressed to a Service, so the cluster needs at least one.</summary>
    public bool NeedsServices => Kind is WorkloadKind.ServiceCalls or WorkloadKind.LoadBalancer or WorkloadKind.Ingress or WorkloadKind.Dns;
}
