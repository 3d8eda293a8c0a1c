namespace ClusterNetPerf.Scenarios.Output;

/// <summary>Whole-run counters for run.json. Only <see cref="Events"/> is deterministic; the rest is wall-clock and memory, which is why it stays out of the CSVs.</summary>
/// <param name="Events">Events processed over all runs.</param>
/// <param name="WallSeconds">Wall-clock seconds (for merged shards, the sum over shards: compute time, not elapsed time).</param>
/// <param name="PeakMemoryBytes">Peak working set of the process (for merged shards, the largest).</param>
/// <param name="Timings">Wall-clock seconds of each run, in canonical order.</param>
public sealed record RunCounters(long Events, double WallSeconds, long PeakMemoryBytes, IReadOnlyList<RunTiming> Timings)
{
    /// <summary>Events per wall-clock second; 0 when no wall time was recorded.</summary>
    public double EventsPerSecond => WallSeconds > 0 ? Events / WallSeconds : 0;
}
