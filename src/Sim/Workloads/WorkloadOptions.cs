using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;

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

    /// <summary>The problems with these options (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(ConnectionsPerSecond > 0)) problems.Add($"connectionsPerSecond must be positive, found {ConnectionsPerSecond}");
        if (Traffic.RequestsPerConnection < 1) problems.Add($"requestsPerConnection must be at least 1, found {Traffic.RequestsPerConnection}");
        if (SameNodeFraction is < 0 or > 1) problems.Add($"sameNodeFraction must lie in [0, 1], found {SameNodeFraction}");
        if (SamePodFraction is < 0 or > 1 || SamePodFraction + SameNodeFraction > 1)
            problems.Add($"samePodFraction must lie in [0, 1 − sameNodeFraction], found {SamePodFraction}");
        return problems;
    }
}
