using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Tests.Network;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// A single-server queue made of one <see cref="Link"/> at 1 byte/ns (8 Gbit/s) with a buffer
/// no run can fill, fed by a <see cref="PoissonSource"/>: a message of S bytes is S ns of
/// service, so service rates in the tests are simply 1 / mean size.
/// </summary>
internal static class SingleLinkQueue
{
    public static readonly DataRate Bandwidth = DataRate.FromGigabitsPerSecond(8);

    /// <summary>Service rate μ (per second) of messages with this mean size.</summary>
    public static double ServiceRate(double meanSizeBytes) => 1e9 / meanSizeBytes;

    public static Func<System.Random, long> ExponentialSizes(double meanBytes) =>
        random => (long)Math.Round(Exponential.Sample(random, 1 / meanBytes));

    public static Func<System.Random, long> FixedSizes(long bytes) => _ => bytes;

    /// <summary>Runs <paramref name="messages"/> arrivals to completion and returns the source with its records.</summary>
    public static PoissonSource Run(ulong seed, double arrivalsPerSecond, Func<System.Random, long> sizeBytes, int messages, SimTime propagation = default)
    {
        var simulator = new Simulator(seed);
        var link = new Link("queue", Bandwidth, propagation, new ByteSize(long.MaxValue / 4));
        var source = new PoissonSource(simulator, TestRoutes.Of(link), arrivalsPerSecond, sizeBytes, messages);
        source.Start();
        simulator.Run();
        return source;
    }
}
