using BenchmarkDotNet.Attributes;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Benchmarks;

/// <summary>
/// An M/M/1 queue at ρ = 0.8 through a 10 Gbit/s <see cref="Link"/> via the
/// <see cref="Forwarder"/>: two events per message (arrival, delivery). One operation is one
/// event; events/s = 1e9 / Mean, and Allocated is bytes per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EventRateConfig))]
public class LinkMM1Benchmarks
{
    private const int EventsPerInvoke = 1_000_000;
    private const double MeanSizeBytes = 1_500;   // 1.2 µs at 10 Gbit/s
    private const double MeanGapNs = 1_500;       // ρ = 1.2 / 1.5 = 0.8

    private Simulator _simulator = null!;
    private LinkMM1Source _source = null!;

    [GlobalSetup]
    public void Setup()
    {
        _simulator = new Simulator();
        var link = new Link("mm1", DataRate.Parse("10Gbps"), SimTime.FromMicroseconds(1), ByteSize.Parse("64MiB"));
        var route = new Route();
        route.Add(link);
        _source = new LinkMM1Source(_simulator, route, ExponentialOffsets.Draw(MeanGapNs, seed: 2), ExponentialOffsets.Draw(MeanSizeBytes, seed: 3));
        _source.Start();
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long ForwardThroughLink()
    {
        _source.StopAfter = _simulator.EventsProcessed + EventsPerInvoke;
        _simulator.Run();
        return _source.Delivered;
    }
}
