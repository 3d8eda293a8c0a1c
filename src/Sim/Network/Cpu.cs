using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A multi-core server with one FIFO queue: the packet-processing cores of a node
/// (netfilter, veth, bridge, encapsulation) or of a proxy. Rule-chain cost turns into
/// queueing delay and saturation here.
/// </summary>
/// <remarks>
/// First-come first-served with c servers needs no events when each job's work is known on
/// arrival (the Kiefer–Wolfowitz recursion): a job arriving at t starts at
/// max(t, earliest time a core frees) on that core. Jobs must be submitted in time order.
/// Cost: O(cores) per job (a scan; cores are few).
/// </remarks>
public sealed class Cpu
{
    private readonly long[] _coreFreeAt;
    private long _windowStart;
    private long _busyNanosInWindow;
    private long _waitNanosInWindow;

    /// <param name="name">For reports, e.g. "node-3/softirq".</param>
    /// <param name="cores">Cores serving the queue; at least one.</param>
    public Cpu(string name, int cores)
    {
        if (cores < 1) throw new ArgumentOutOfRangeException(nameof(cores), "A CPU needs at least one core.");
        Name = name;
        _coreFreeAt = new long[cores];
    }

    public string Name { get; }
    public int Cores => _coreFreeAt.Length;

    /// <summary>Jobs submitted in the window.</summary>
    public long Jobs { get; private set; }

    /// <summary>Jobs that had to wait for a core (their start was after their arrival), in the window.</summary>
    public long JobsThatWaited { get; private set; }

    /// <summary>
    /// Queues a job of <paramref name="work"/> arriving at <paramref name="now"/> and returns
    /// when it completes.
    /// </summary>
    public SimTime Process(SimTime now, SimTime work)
    {
        long t = now.Nanoseconds;
        int core = 0;
        long earliest = _coreFreeAt[0];
        for (int i = 1; i < _coreFreeAt.Length; i++)
        {
            if (_coreFreeAt[i] < earliest)
            {
                earliest = _coreFreeAt[i];
                core = i;
            }
        }
        long start = Math.Max(t, earliest);
        long end = start + work.Nanoseconds;
        _coreFreeAt[core] = end;
        Jobs++;
        if (start > t)
        {
            JobsThatWaited++;
            _waitNanosInWindow += start - t;
        }
        _busyNanosInWindow += work.Nanoseconds;
        return new SimTime(end);
    }

    /// <summary>When a job arriving at <paramref name="now"/> would start (the current wait), without queueing it.</summary>
    public SimTime NextStart(SimTime now)
    {
        long earliest = long.MaxValue;
        foreach (long freeAt in _coreFreeAt) earliest = Math.Min(earliest, freeAt);
        return new SimTime(Math.Max(now.Nanoseconds, earliest));
    }

    /// <summary>Fraction of core time busy since the window started (0–1, averaged over cores).</summary>
    public double Utilization(SimTime now)
    {
        long span = now.Nanoseconds - _windowStart;
        if (span <= 0) return 0;
        return (_busyNanosInWindow - FutureWork(now.Nanoseconds)) / ((double)span * Cores);
    }

    /// <summary>Time-average number of jobs waiting for a core, by Little's law (total wait / window).</summary>
    public double MeanQueueLength(SimTime now)
    {
        long span = now.Nanoseconds - _windowStart;
        return span <= 0 ? 0 : _waitNanosInWindow / (double)span;
    }

    /// <summary>Starts the measurement window at <paramref name="now"/>; counters restart.</summary>
    public void StartWindow(SimTime now)
    {
        _windowStart = now.Nanoseconds;
        _busyNanosInWindow = FutureWork(now.Nanoseconds);
        _waitNanosInWindow = 0;
        Jobs = 0;
        JobsThatWaited = 0;
    }

    /// <summary>Work already committed to cores beyond <paramref name="t"/>.</summary>
    private long FutureWork(long t)
    {
        long future = 0;
        foreach (long freeAt in _coreFreeAt) future += Math.Max(0, freeAt - t);
        return future;
    }
}
