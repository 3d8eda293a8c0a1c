using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Tests.Validation;

namespace ClusterNetPerf.Sim.Tests.Network;

/// <summary>
/// Forwarding through a Link and a Cpu allocates nothing once the pools (forwarder records,
/// the link's arrival queue, the event heap) have grown to the working size of the run.
/// </summary>
public sealed class ForwarderAllocationTests
{
    [Fact]
    public void Forwarding_in_steady_state_allocates_nothing()
    {
        var simulator = new Simulator(3);
        var link = new Link("l", DataRate.Parse("10Gbps"), SimTime.FromMicroseconds(5), ByteSize.Parse("64KiB"));
        var cpu = new Cpu("c", cores: 2);
        Route route = TestRoutes.Of(link, new CpuStage(cpu, SimTime.FromMicroseconds(1), new SimTime(200), batchBytes: 0));
        // ≈ 60% load on the link (1.2 µs per 1,500 B message) with drops when bursts fill 64 KiB.
        var source = new PoissonSource(simulator, route, arrivalsPerSecond: 500_000, SingleLinkQueue.ExponentialSizes(1_500), capacity: 400_000);
        source.Start();
        simulator.RunUntil(SimTime.FromMilliseconds(400)); // 200,000 messages of warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        long eventsBefore = simulator.EventsProcessed;
        simulator.RunUntil(SimTime.FromMilliseconds(700));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(simulator.EventsProcessed - eventsBefore >= 300_000);
        Assert.Equal(0, allocated);
    }
}
