using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// A conntrack table is a loss system: Poisson new flows, each entry held for a fixed time
/// (assured, so never early-dropped), c = nf_conntrack_max places. Its drop fraction is
/// Erlang B(λ·T, c), whatever the holding distribution (M/G/c/c insensitivity), once expired
/// entries are reaped before an arrival is admitted.
/// </summary>
public sealed class ConntrackErlangBTests
{
    private sealed class FlowArrivals(Simulator simulator, ConntrackTable table, double ratePerSecond) : IEventTarget
    {
        private readonly System.Random _random = simulator.Random.Stream("arrivals");
        private uint _next;
        public List<double> Dropped { get; } = [];

        public void Start() => ScheduleNext();

        public void OnEvent(int kind, long argument)
        {
            ScheduleNext();
            _next++;
            var original = new FlowTuple(new IPv4Address(0x0A000000 + _next), 1000, new IPv4Address(0x0A600000), 80, IpProtocol.Udp);
            bool inserted = table.TryInsert(simulator.Now, original, original.Reversed(), ConntrackState.UdpReplied, out _) == ConntrackInsertResult.Inserted;
            Dropped.Add(inserted ? 0 : 1);
        }

        private void ScheduleNext() =>
            simulator.ScheduleAfter(SimTime.FromSeconds(Exponential.Sample(_random, ratePerSecond)), this, 0);
    }

    [Theory]
    [InlineData(100, 95.0)]
    [InlineData(50, 60.0)]
    public void Drop_fraction_of_a_full_table_is_erlang_b(int tableSize, double offeredErlangs)
    {
        var timeouts = new ConntrackTimeouts { Udp = SimTime.FromSeconds(30) };
        double ratePerSecond = offeredErlangs / timeouts.Udp.TotalSeconds;
        var simulator = new Simulator(11);
        // One bucket: every arrival's lookup walks the only chain and reaps every expired entry, so an
        // arrival sees exactly the entries still within their holding time, as the loss system does.
        var table = new ConntrackTable(tableSize, buckets: 1, timeouts, KernelVersion.Default, simulator.Random.Stream("conntrack"));
        var arrivals = new FlowArrivals(simulator, table, ratePerSecond);
        arrivals.Start();
        simulator.RunUntil(SimTime.FromSeconds(200_000 / ratePerSecond));

        List<double> afterWarmup = arrivals.Dropped.Skip(arrivals.Dropped.Count / 20).ToList();
        (double mean, double halfWidth) = BatchMeans.Of(afterWarmup, batchCount: 30);
        double expected = QueueingTheory.ErlangB(offeredErlangs, tableSize);
        Assert.InRange(expected, mean - halfWidth, mean + halfWidth);
        Assert.True(halfWidth < 0.15 * expected, $"interval ±{halfWidth} too wide to test against {expected}");
    }
}
