using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>Pod restarts across the cluster (a Poisson process) and how long a restarted pod is away.</summary>
public sealed record ChurnSpec
{
    public double PodRestartsPerSecond { get; init; } = ClusterOptions.Default.PodRestartsPerSecond;
    public SimTime RestartDelay { get; init; } = ClusterOptions.Default.RestartDelay;
}
