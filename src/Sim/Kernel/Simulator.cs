namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// The discrete-event kernel: a clock, the pending events, and the random streams of one run.
/// Events with equal times run in the order they were scheduled, so a run is fully
/// determined by its model and seed. Scheduling and dispatch allocate nothing in steady state.
/// </summary>
/// <remarks>
/// Components talk to each other only through scheduled events, never by calling into
/// another node's state at a future time; that keeps the door open to conservative parallel
/// simulation (nodes partitioned by rack, the fabric latency as lookahead).
/// </remarks>
public sealed class Simulator
{
    private readonly EventQueue _queue = new();
    private bool _stopRequested;

    /// <summary>Creates a simulator whose random streams all derive from <paramref name="seed"/>.</summary>
    public Simulator(ulong seed = 1)
    {
        Random = new RandomStreams(seed);
    }

    /// <summary>The current simulated time: the time of the event being handled.</summary>
    public SimTime Now { get; private set; }

    /// <summary>Events run so far.</summary>
    public long EventsProcessed { get; private set; }

    /// <summary>Events scheduled and not yet run or cancelled.</summary>
    public int PendingEvents => _queue.Count;

    /// <summary>The run's random streams, one per named component.</summary>
    public RandomStreams Random { get; }

    /// <summary>Schedules an event at an absolute time, which must not be in the past.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is before <see cref="Now"/>.</exception>
    public EventHandle Schedule(SimTime at, IEventTarget target, int kind, long argument = 0)
    {
        if (at < Now)
            throw new ArgumentOutOfRangeException(nameof(at), $"Cannot schedule at {at}, before now ({Now}).");
        return _queue.Enqueue(at.Nanoseconds, target, kind, argument);
    }

    /// <summary>Schedules an event <paramref name="delay"/> after now; the delay must not be negative.</summary>
    public EventHandle ScheduleAfter(SimTime delay, IEventTarget target, int kind, long argument = 0)
    {
        if (delay.Nanoseconds < 0)
            throw new ArgumentOutOfRangeException(nameof(delay), $"Cannot schedule a negative delay ({delay}).");
        return _queue.Enqueue(Now.Nanoseconds + delay.Nanoseconds, target, kind, argument);
    }

    /// <summary>Cancels a pending event. Returns false if it already ran or was cancelled.</summary>
    public bool Cancel(EventHandle handle) => _queue.Cancel(handle);

    /// <summary>Asks the run to stop after the event being handled; pending events are kept.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>Runs events until none are left or <see cref="Stop"/> is called.</summary>
    public void Run() => RunCore(long.MaxValue);

    /// <summary>
    /// Runs every event due at or before <paramref name="end"/>, then sets the clock to
    /// <paramref name="end"/> (unless stopped early), so measurements can close at that instant.
    /// </summary>
    public void RunUntil(SimTime end)
    {
        if (end < Now)
            throw new ArgumentOutOfRangeException(nameof(end), $"Cannot run until {end}, before now ({Now}).");
        if (RunCore(end.Nanoseconds)) Now = end;
    }

    /// <returns>True if the run reached its limit, false if it was stopped.</returns>
    private bool RunCore(long limit)
    {
        _stopRequested = false;
        while (_queue.TryDequeue(limit, out long time, out IEventTarget target, out int kind, out long argument))
        {
            Now = new SimTime(time);
            EventsProcessed++;
            target.OnEvent(kind, argument);
            if (_stopRequested) return false;
        }
        return true;
    }
}
