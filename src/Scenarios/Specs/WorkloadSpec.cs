using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>One traffic source: Poisson connection arrivals, requests per connection, and their sizes (defaults from <see cref="TrafficProfile.Default"/>).</summary>
public sealed record WorkloadSpec
{
    private static readonly WorkloadOptions Defaults = new();

    public required WorkloadKind Type { get; init; }
    /// <summary>New connections per second over the whole cluster; greater than zero.</summary>
    public required double ConnectionsPerSecond { get; init; }
    public int RequestsPerConnection { get; init; } = Defaults.Traffic.RequestsPerConnection;
    public DistributionSpec RequestSize { get; init; } = DistributionSpec.Fixed(new ByteSize((long)Defaults.Traffic.RequestBytes.Mean));
    public DistributionSpec ResponseSize { get; init; } = DistributionSpec.Fixed(new ByteSize((long)Defaults.Traffic.ResponseBytes.Mean));
    /// <summary>Server think time per request.</summary>
    public SimTime ServerTime { get; init; } = Defaults.Traffic.ServerTime;
    /// <summary>For <see cref="WorkloadKind.PodToPod"/>: fraction of calls whose server is on the client's node.</summary>
    public double SameNodeFraction { get; init; } = Defaults.SameNodeFraction;
    /// <summary>
    /// When set, the rate was given per pod (<c>connectionsPerSecondPerPod</c>) and
    /// <see cref="ConnectionsPerSecond"/> is it times the cluster's pods, so it follows a node-count sweep.
    /// </summary>
    public double? ConnectionsPerSecondPerPod { get; init; }
    /// <summary>For <see cref="WorkloadKind.Dns"/>: fraction of lookups of names outside the cluster (<c>names: internal | external | 0.3</c>).</summary>
    public double ExternalNameFraction { get; init; } = Defaults.ExternalNameFraction;
}
