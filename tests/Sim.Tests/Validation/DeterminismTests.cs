using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Tests.Network;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// A run is a function of its model and seed: the fingerprint of every event (each send,
/// each arrival at a hop, each delivery or drop, with its time) repeats for the same seed
/// and changes with the seed.
/// </summary>
public sealed class DeterminismTests
{
    [Fact]
    public void Same_seed_gives_the_same_trajectory_and_another_seed_a_different_one()
    {
        ulong first = Fingerprint(seed: 7);
        Assert.Equal(first, Fingerprint(seed: 7));
        Assert.NotEqual(first, Fingerprint(seed: 8));
    }

    /// <summary>FNV-1a over the event trace of a loaded route with drops.</summary>
    private static ulong Fingerprint(ulong seed)
    {
        ulong hash = 14695981039346656037UL;
        void Add(long value)
        {
            hash ^= (ulong)value;
            hash *= 1099511628211UL;
        }
        var simulator = new Simulator(seed);
        var cpu = new Cpu("cpu", cores: 2);
        Route route = TestRoutes.Of(
            new ObservedHop(new Link("in", DataRate.Parse("1Gbps"), SimTime.FromMicroseconds(2), ByteSize.Parse("16KiB")), (t, m) => { Add(t.Nanoseconds); Add(m.Flow); Add(0); }),
            new ObservedHop(new CpuStage(cpu, SimTime.FromMicroseconds(3), SimTime.Zero, batchBytes: 0), (t, m) => { Add(t.Nanoseconds); Add(m.Flow); Add(1); }),
            new ObservedHop(new Link("out", DataRate.Parse("1Gbps"), SimTime.FromMicroseconds(2), ByteSize.Parse("16KiB")), (t, m) => { Add(t.Nanoseconds); Add(m.Flow); Add(2); }));
        var source = new PoissonSource(simulator, route, arrivalsPerSecond: 90_000, SingleLinkQueue.ExponentialSizes(1_200), capacity: 20_000);
        source.Start();
        simulator.Run();

        Assert.True(source.Forwarder.Dropped > 0, "the fingerprint should cover drops too");
        for (int i = 0; i < source.Generated; i++)
        {
            Add(source.SentAt[i]);
            Add(source.DoneAt[i]);
        }
        Add(simulator.EventsProcessed);
        return hash;
    }
}
