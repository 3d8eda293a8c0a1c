using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A multi-core server: the packet-processing cores of a node (netfilter, veth, bridge,
/// encapsulation) or the cores of a pod. Rule-chain cost turns into queueing delay and
/// saturation here.
/// </summary>
/// <remarks>
/// <para>Two queueing disciplines. Shared (a pod's worker threads): one FIFO queue for all
/// cores; a job arriving at t starts at max(t, earliest time a core frees) on that core (the
/// Kiefer–Wolfowitz recursion, M/G/c). Steered by flow (a node's receive path): a NIC's RSS
/// hashes each flow to one receive queue and so to one core (Documentation/networking/scaling.rst,
/// "RSS: Receive Side Scaling"), and a job waits for its flow's core even when another is idle:
/// c FIFO queues, each M/G/1 at 1/c of the load for many flows. Jobs given no flow use the
/// shared rule on either.</para>
/// <para>Either needs no events when each job's work is known on arrival. Jobs must be
/// submitted in time order. Cost: O(cores) per job without a flow (a scan; cores are few),
/// O(1) with one.</para>
/// </remarks>
public sealed class Cpu
{
    private readonly long[] _coreFreeAt;
    private long _windowStart;
    private long _busyNanosInWindow;
    private long _waitNanosInWindow;

    /// <param name="name">For reports, e.g. "node-3/softirq".</param>
    /// <param name="cores">Cores serving the queue; at least one.</param>
    /// <param name="steersByFlow">Each flow's work queues on one core (RSS), not on a queue shared by all.</param>
    public Cpu(string name, int cores, bool steersByFlow = false)
    {
        if (cores < 1) throw new ArgumentOutOfRangeException(nameof(cores), "A CPU needs at least one core.");
        Name = name;
        SteersByFlow = steersByFlow;
        _coreFreeAt = new long[cores];
    }

    public string Name { get; }
    public int Cores => _coreFreeAt.Length;

    /// <summary>Whether each flow's work queues on the core its hash picks (RSS).</summary>
    public bool SteersByFlow { get; }

    /// <summary>Jobs submitted in the window.</summary>
    public long Jobs { get; private set; }

    /// <summary>Jobs that had to wait for a core (their start was after their arrival), in the window.</summary>
    public long JobsThatWaited { get; private set; }

    /// <summary>
    /// Queues a job of <paramref name="work"/> arriving at <paramref name="now"/> on the
    /// earliest free core and returns when it completes.
    /// </summary>
    public SimTime Process(SimTime now, SimTime work) => ProcessOn(EarliestFreeCore(), now, work);

    /// <summary>
    /// Queues a job of flow <paramref name="flow"/>: on the flow's core when the CPU
    /// <see cref="SteersByFlow"/>, else on the earliest free one.
    /// </summary>
    public SimTime Process(SimTime now, SimTime work, long flow) => ProcessOn(CoreFor(flow), now, work);

    /// <summary>
    /// Processes a message's units (packets, or GRO/TSO batches) arriving as
    /// <paramref name="arrival"/>, one job on one core (<see cref="PacketTrain.Through"/>):
    /// <paramref name="perMessage"/> once and <paramref name="perUnit"/> for each of
    /// <paramref name="units"/>.
    /// </summary>
    public PacketTrain Process(in PacketTrain arrival, SimTime perMessage, SimTime perUnit, int units, long flow)
    {
        int core = CoreFor(flow);
        PacketTrain done = arrival.Through(_coreFreeAt[core], perMessage.Nanoseconds, perUnit.Nanoseconds, units);
        Account(arrival.Head.Nanoseconds, Math.Max(arrival.Head.Nanoseconds, _coreFreeAt[core]), perMessage.Nanoseconds + perUnit.Nanoseconds * units);
        _coreFreeAt[core] = done.Tail.Nanoseconds;
        return done;
    }

    private SimTime ProcessOn(int core, SimTime now, SimTime work)
    {
        long t = now.Nanoseconds;
        long start = Math.Max(t, _coreFreeAt[core]);
        long end = start + work.Nanoseconds;
        _coreFreeAt[core] = end;
        Account(t, start, work.Nanoseconds);
        return new SimTime(end);
    }

    private void Account(long arrival, long start, long work)
    {
        Jobs++;
        if (start > arrival)
        {
            JobsThatWaited++;
            _waitNanosInWindow += start - arrival;
        }
        _busyNanosInWindow += work;
    }

    /// <summary>The flow's core under RSS: a mix of the flow's id standing in for the NIC's Toeplitz hash of its tuple.</summary>
    private int CoreFor(long flow) =>
        SteersByFlow ? (int)(((ulong)flow * 0x9E3779B97F4A7C15UL >> 32) % (ulong)_coreFreeAt.Length) : EarliestFreeCore();

    private int EarliestFreeCore()
    {
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
        return core;
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
