using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>Progress that shows nothing (CI logs, redirected output, tests).</summary>
public sealed class SilentProgress : ISweepProgress
{
    public static readonly SilentProgress Instance = new();

    /// <inheritdoc />
    public void Track(int total, int alreadyDone, Action<Action<RunMetrics>> work) => work(_ => { });
}
