using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Benchmarks;

/// <summary>The hold model's one component: each event schedules its successor and counts down to a stop.</summary>
internal sealed class HoldTarget(Simulator simulator, long[] offsetsNs) : IEventTarget
{
    private int _next;

    /// <summary>Events left before the target stops the run.</summary>
    public int Remaining { get; set; }

    public long NextOffset() => offsetsNs[_next++ & ExponentialOffsets.Mask];

    public void OnEvent(int kind, long argument)
    {
        simulator.ScheduleAfter(new SimTime(NextOffset()), this, kind, argument);
        if (--Remaining == 0) simulator.Stop();
    }
}
