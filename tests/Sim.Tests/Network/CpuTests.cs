using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

public sealed class CpuTests
{
    [Fact]
    public void Jobs_start_first_come_first_served_on_the_earliest_free_core()
    {
        var cpu = new Cpu("c", cores: 2);
        Assert.Equal(10, cpu.Process(new SimTime(0), new SimTime(10)).Nanoseconds); // core 0
        Assert.Equal(4, cpu.Process(new SimTime(0), new SimTime(4)).Nanoseconds);   // core 1
        Assert.Equal(9, cpu.Process(new SimTime(1), new SimTime(5)).Nanoseconds);   // waits for core 1 (free at 4)
        Assert.Equal(new SimTime(9), cpu.NextStart(new SimTime(2)));
        Assert.Equal(10, cpu.Process(new SimTime(2), new SimTime(1)).Nanoseconds);  // waits for core 1 (free at 9)
        Assert.Equal(23, cpu.Process(new SimTime(20), new SimTime(3)).Nanoseconds); // idle: starts at once
        Assert.Equal(5, cpu.Jobs);
        Assert.Equal(2, cpu.JobsThatWaited);
    }

    [Fact]
    public void Utilization_and_queue_length_are_averaged_over_the_window_and_the_cores()
    {
        var cpu = new Cpu("c", cores: 2);
        cpu.Process(new SimTime(0), new SimTime(10));
        cpu.Process(new SimTime(0), new SimTime(10));
        cpu.Process(new SimTime(0), new SimTime(10)); // waits 10 ns
        Assert.Equal(0.75, cpu.Utilization(new SimTime(20)), 12);
        Assert.Equal(0.5, cpu.MeanQueueLength(new SimTime(20)), 12);
        cpu.StartWindow(new SimTime(10));
        Assert.Equal(0.5, cpu.Utilization(new SimTime(20)), 12);
        Assert.Equal(0, cpu.Jobs);
    }

    [Fact]
    public void A_cpu_needs_a_core() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cpu("none", cores: 0));
}
