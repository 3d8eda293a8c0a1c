using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Statistics;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// M/M/c/c and M/D/c/c blocking against Erlang B: the loss probability depends on the
/// holding-time distribution only through its mean (insensitivity).
/// </summary>
public sealed class ErlangBValidationTests
{
    private const int Servers = 10;
    private const double OfferedErlangs = 8;
    private const double MeanHoldingNs = 1_000_000;
    private const int Arrivals = 500_000;

    public static TheoryData<string> HoldingTimes => ["exponential", "deterministic"];

    [Theory]
    [MemberData(nameof(HoldingTimes))]
    public void Blocking_probability_is_Erlang_B(string holding)
    {
        Func<System.Random, long> holdingNs = holding == "exponential"
            ? random => (long)Math.Round(Exponential.Sample(random, 1 / MeanHoldingNs))
            : _ => (long)MeanHoldingNs;
        var simulator = new Simulator(41);
        var system = new LossSystem(simulator, Servers, OfferedErlangs / MeanHoldingNs, holdingNs, Arrivals);
        system.Start();
        simulator.Run();

        Assert.Equal(Arrivals, system.Arrivals);
        ConfidenceInterval.FromSeries(system.Blocked, Arrivals / 50, 30)
            .AssertCovers(QueueingTheory.ErlangB(OfferedErlangs, Servers), 0.05);
    }
}
