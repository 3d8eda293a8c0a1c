using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Tests.Kernel;

/// <summary>
/// The hot path (schedule, pop, dispatch) must not allocate. Measured on this thread only,
/// after a warm-up that has grown the heap and slot arrays to their working size and let the
/// JIT compile the loop; the bound is exactly zero bytes.
/// </summary>
public sealed class SimulatorAllocationTests
{
    [Fact]
    public void Hold_events_in_steady_state_allocate_nothing()
    {
        var simulator = new Simulator();
        _ = new HoldModel(simulator, pending: 10_000, offsets: 4_096, seed: 1);
        simulator.RunUntil(new SimTime(20_000)); // 10 events/ns (10,000 pending, 1 µs apart on average): 200,000 events of warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        long eventsBefore = simulator.EventsProcessed;
        simulator.RunUntil(new SimTime(40_000));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(simulator.EventsProcessed - eventsBefore >= 100_000);
        Assert.Equal(0, allocated);
    }
}
