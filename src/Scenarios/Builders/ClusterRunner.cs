using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Builders;

/// <summary>Builds the cluster model from a resolved scenario and runs it: the production <see cref="IPointRunner"/>.</summary>
public sealed class ClusterRunner : IPointRunner
{
    /// <inheritdoc />
    public RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken) =>
        throw new NotSupportedException("cluster model not wired yet");
}
