using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Tests.Kernel;

public sealed class SimulatorTests
{
    private sealed class Recorder(Simulator simulator) : IEventTarget
    {
        public List<(long Time, int Kind, long Argument)> Seen { get; } = [];
        public void OnEvent(int kind, long argument) => Seen.Add((simulator.Now.Nanoseconds, kind, argument));
    }

    [Fact]
    public void Equal_time_events_run_in_scheduling_order()
    {
        var sim = new Simulator();
        var recorder = new Recorder(sim);
        for (int i = 0; i < 100; i++) sim.Schedule(new SimTime(5), recorder, kind: 0, argument: i);
        sim.Run();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), recorder.Seen.Select(s => s.Argument));
    }

    [Fact]
    public void Events_run_in_time_order_whatever_the_scheduling_order()
    {
        var sim = new Simulator();
        var recorder = new Recorder(sim);
        var random = new System.Random(7);
        long[] times = Enumerable.Range(0, 5000).Select(_ => (long)random.Next(0, 1000)).ToArray();
        for (int i = 0; i < times.Length; i++) sim.Schedule(new SimTime(times[i]), recorder, 0, i);
        sim.Run();
        var expected = times.Select((t, i) => (t, i)).OrderBy(p => p.t).ThenBy(p => p.i).Select(p => (long)p.i);
        Assert.Equal(expected, recorder.Seen.Select(s => s.Argument));
    }

    [Fact]
    public void Cancelled_event_does_not_run_and_a_stale_handle_cancels_nothing()
    {
        var sim = new Simulator();
        var recorder = new Recorder(sim);
        EventHandle first = sim.Schedule(new SimTime(10), recorder, 1, 1);
        sim.Schedule(new SimTime(20), recorder, 2, 2);
        Assert.True(sim.Cancel(first));
        Assert.False(sim.Cancel(first));
        Assert.Equal(1, sim.PendingEvents);
        EventHandle reused = sim.Schedule(new SimTime(30), recorder, 3, 3);
        Assert.False(sim.Cancel(first));
        sim.Run();
        Assert.Equal([2L, 3L], recorder.Seen.Select(s => s.Argument));
        Assert.False(sim.Cancel(reused));
    }

    [Fact]
    public void RunUntil_runs_due_events_and_leaves_the_clock_at_the_limit()
    {
        var sim = new Simulator();
        var recorder = new Recorder(sim);
        sim.Schedule(SimTime.FromMilliseconds(1), recorder, 0, 1);
        sim.Schedule(SimTime.FromMilliseconds(2), recorder, 0, 2);
        sim.Schedule(SimTime.FromMilliseconds(3), recorder, 0, 3);
        sim.RunUntil(SimTime.FromMilliseconds(2));
        Assert.Equal([1L, 2L], recorder.Seen.Select(s => s.Argument));
        Assert.Equal(SimTime.FromMilliseconds(2), sim.Now);
        Assert.Equal(1, sim.PendingEvents);
    }

    [Fact]
    public void Stop_halts_after_the_current_event()
    {
        var sim = new Simulator();
        var stopper = new Stopper(sim);
        for (int i = 0; i < 10; i++) sim.Schedule(new SimTime(i), stopper, 0, i);
        sim.Run();
        Assert.Equal(4, stopper.Count);
        Assert.Equal(6, sim.PendingEvents);
    }

    private sealed class Stopper(Simulator simulator) : IEventTarget
    {
        public int Count { get; private set; }
        public void OnEvent(int kind, long argument)
        {
            if (++Count == 4) simulator.Stop();
        }
    }

    [Fact]
    public void Scheduling_in_the_past_is_rejected()
    {
        var sim = new Simulator();
        var recorder = new Recorder(sim);
        sim.Schedule(new SimTime(100), recorder, 0);
        sim.Run();
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Schedule(new SimTime(50), recorder, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.ScheduleAfter(new SimTime(-1), recorder, 0));
    }
}
