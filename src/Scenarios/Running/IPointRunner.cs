using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>
/// Runs one simulation: a resolved scenario (one sweep point, its sweep empty) with one seed. The seam
/// between the sweep machinery and the model: the sweep runner, resume, shards and outputs work with any
/// implementation, and tests use a deterministic fake.
/// </summary>
public interface IPointRunner
{
    /// <summary>Runs the scenario and returns what it measured. Must be a pure function of its arguments
    /// (the caller times it, for run.json) and safe to call from several threads at once.</summary>
    /// <param name="resolved">The scenario at one point, defaults filled in.</param>
    /// <param name="seed">The run's master seed.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl-C; a run may stop early by throwing <see cref="OperationCanceledException"/>.</param>
    RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken);
}
