using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Connections;
using ClusterNetPerf.Sim.Cluster.Dns;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Cluster.ServiceProxy;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Workloads;

namespace ClusterNetPerf.Scenarios.Builders;

/// <summary>
/// Builds the cluster model from a resolved scenario and runs it: the production
/// <see cref="IPointRunner"/>. Stateless, so sweep points may run on several threads at once.
/// </summary>
public sealed class ClusterRunner : IPointRunner
{
    /// <inheritdoc />
    public RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken) =>
        ClusterSimulation.Run(ClusterOptionsBuilder.ClusterOptionsOf(resolved), ClusterOptionsBuilder.WorkloadsOf(resolved), resolved.Warmup, resolved.Duration, seed, cancellationToken);

    /// <summary>A scenario loader that checks every point against the cluster model's options.</summary>
    public static ScenarioLoader CreateLoader() => new(DataPlaneCosts.ParameterNames.Contains, ClusterOptionsBuilder.Problems);
}
