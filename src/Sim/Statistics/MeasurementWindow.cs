using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// The span of simulated time a run measures in: from the end of warm-up (<see cref="Start"/>)
/// to the end of the run (<see cref="End"/>), half-open. Collectors ask
/// <see cref="Contains"/> before recording, so the transient while queues and tables fill
/// from empty does not bias the results.
/// </summary>
/// <remarks>
/// The collector chooses the instant an observation is judged by (the cluster's collector judges
/// a connection by when it started, so a slow connection begun inside the window still counts).
/// Half-open so that back-to-back windows never count an event twice.
/// </remarks>
public readonly record struct MeasurementWindow
{
    /// <summary>A window from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public MeasurementWindow(SimTime start, SimTime end)
    {
        if (end < start)
            throw new ArgumentOutOfRangeException(nameof(end), end, $"The window cannot end before it starts at {start}.");
        Start = start;
        End = end;
    }

    /// <summary>
    /// The window of a run that starts at time zero, discards <paramref name="warmup"/> and then
    /// measures for <paramref name="duration"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative warm-up or duration.</exception>
    public static MeasurementWindow AfterWarmup(SimTime warmup, SimTime duration)
    {
        if (warmup < SimTime.Zero)
            throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "A warm-up cannot be negative.");
        if (duration < SimTime.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A measured duration cannot be negative.");
        return new MeasurementWindow(warmup, warmup + duration);
    }

    /// <summary>The first instant measured: the end of warm-up.</summary>
    public SimTime Start { get; }

    /// <summary>The first instant no longer measured: the end of the run.</summary>
    public SimTime End { get; }

    /// <summary>How long the window lasts; the denominator of every rate (throughput, drops per second).</summary>
    public SimTime Duration => End - Start;

    /// <summary>Whether an observation at <paramref name="time"/> is measured: Start ≤ time &lt; End. O(1).</summary>
    public bool Contains(SimTime time) => time >= Start && time < End;
}
