using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// When a conntrack table's GC worker (<c>gc_worker</c>, net/netfilter/nf_conntrack_core.c) runs
/// its next pass, and how many entries a pass may early-drop, by kernel version. Keeps, per
/// state, the live entries and the sum of their deadlines, which the 6.x interval needs.
/// </summary>
/// <remarks>
/// <para>Before 5.19 a whole-table pass every GC_SCAN_INTERVAL = 120 s (commit 4608fdfc07e1, 5.14),
/// whose early drop lasts the whole pass. From 5.19 ("netfilter: conntrack: dynamically adjust
/// gc interval") the next pass comes after the average remaining timeout of the entries seen,
/// each clamped to [1 s, GC_SCAN_INTERVAL_CLAMP = 300 s], averaged with a bias of
/// GC_SCAN_INITIAL_COUNT = 100 entries at GC_SCAN_INTERVAL_MAX = 60 s and clamped to [1 s, 60 s];
/// a run stops after GC_SCAN_EXPIRED_MAX = 64,000 / HZ removals and reschedules one jiffy later
/// with the early-drop request cleared, so a pass early-drops within its first 64,000 / HZ + 1
/// removals. HZ = 250, the default of kernel/Kconfig.hz.</para>
/// <para>The sum over live entries of the clamped remaining timeout, without touching them: for a
/// state whose timeout is at most 300 s it is (sum of deadlines − n × now), for a longer one
/// 300 s × n (exact unless an entry is within 300 s of a 86,400 s ESTABLISHED timeout); the 1 s
/// floor is ignored (under 1 s per entry). O(states) per pass, O(1) per entry change.</para>
/// </remarks>
internal sealed class ConntrackGcSchedule
{
    private const int Hz = 250;
    private const int ExpiredMaxPerRun = 64_000 / Hz;
    private const int InitialCount = 100;
    private static readonly SimTime FixedInterval = SimTime.FromSeconds(120);
    private static readonly SimTime IntervalMin = SimTime.FromSeconds(1);
    private static readonly SimTime IntervalMax = SimTime.FromSeconds(60);
    private static readonly SimTime TimeoutClamp = SimTime.FromSeconds(300);

    private static readonly ConntrackState[] States = Enum.GetValues<ConntrackState>();

    private readonly bool _adaptive;
    private readonly ConntrackTimeouts _timeouts;
    private readonly ConntrackPopulation _live = new();

    /// <param name="random">Draws the first pass: the worker's phase is set by the node's boot time, uniform over the first interval.</param>
    public ConntrackGcSchedule(KernelVersion kernel, ConntrackTimeouts timeouts, System.Random random)
    {
        _adaptive = kernel.HasAdaptiveConntrackGc;
        _timeouts = timeouts;
        SimTime first = _adaptive ? IntervalMax : FixedInterval;
        NextPass = (long)(random.NextDouble() * first.Nanoseconds);
    }

    /// <summary>When the next pass runs, in nanoseconds.</summary>
    public long NextPass { get; private set; }

    /// <summary>The removals (reaps and kills) within which a requested early drop happens in one pass.</summary>
    public int EarlyDropRemovals => _adaptive ? ExpiredMaxPerRun + 1 : int.MaxValue;

    /// <summary>Live entries in <paramref name="state"/>.</summary>
    public int LiveIn(ConntrackState state) => _live.LiveIn(state);

    /// <summary>A live entry entered <paramref name="state"/> with <paramref name="deadlineNs"/>.</summary>
    public void Add(ConntrackState state, long deadlineNs) => _live.Add(state, deadlineNs);

    /// <summary>A live entry left <paramref name="state"/> (a state change, expiry or kill).</summary>
    public void Remove(ConntrackState state, long deadlineNs) => _live.Remove(state, deadlineNs);

    /// <summary>The pass at <paramref name="at"/> finished: schedules the next one.</summary>
    public void PassDone(SimTime at) => NextPass = at.Nanoseconds + Interval(at).Nanoseconds;

    /// <summary>The time to the next pass that a pass finishing at <paramref name="at"/> would set, given the live entries now.</summary>
    public SimTime Interval(SimTime at) => Interval(at, _live);

    /// <summary>The time to the next pass that a pass finishing at <paramref name="at"/> would set if <paramref name="live"/> were the table's live entries.</summary>
    public SimTime Interval(SimTime at, ConntrackPopulation live) => _adaptive ? AdaptiveInterval(at, live) : FixedInterval;

    /// <summary>Moves the next pass to <paramref name="nextPassNs"/> (a warm start sets the worker's phase once it knows the table's entries).</summary>
    public void Rephase(long nextPassNs) => NextPass = nextPassNs;

    private SimTime AdaptiveInterval(SimTime at, ConntrackPopulation population)
    {
        double sumNs = InitialCount * (double)IntervalMax.Nanoseconds;
        long live = InitialCount;
        foreach (ConntrackState state in States)
        {
            long n = population.LiveIn(state);
            if (n == 0) continue;
            live += n;
            long timeout = _timeouts.For(state).Nanoseconds;
            sumNs += timeout <= TimeoutClamp.Nanoseconds
                ? (double)(population.DeadlineSumIn(state) - (Int128)n * at.Nanoseconds)
                : n * (double)TimeoutClamp.Nanoseconds;
        }
        long mean = (long)(sumNs / live);
        return new SimTime(Math.Clamp(mean, IntervalMin.Nanoseconds, IntervalMax.Nanoseconds));
    }
}
