using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Running;

/// <summary>Shows a sweep's progress; the console implementation draws a bar only on an interactive terminal.</summary>
public interface ISweepProgress
{
    /// <summary>Runs <paramref name="work"/>, which calls the callback it is given (from any thread) after each finished run.</summary>
    /// <param name="total">Runs in this sweep (or shard).</param>
    /// <param name="alreadyDone">Runs finished before (resumed from the completion log).</param>
    /// <param name="work">The sweep.</param>
    void Track(int total, int alreadyDone, Action<Action<RunMetrics>> work);
}
