using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// A NAT port pool of c ports toward one destination is an M/G/c/c loss system: with Poisson
/// connection arrivals at rate λ and mean holding time h, the fraction of connections that
/// find no port is Erlang B(a = λh, c), whatever the holding-time distribution, and the mean
/// ports in use is a(1 − B) by Little's law (docs/model-reference.md, "Analytic results for validation").
/// </summary>
public sealed class NatGatewayErlangBTests
{
    private const int Ports = 50;
    private const double OfferedErlangs = 45;
    private const double HoldSeconds = 1;
    private const int Replications = 10;
    private static readonly SimTime WarmUp = SimTime.FromSeconds(10);
    private static readonly SimTime Window = SimTime.FromSeconds(2_000);

    [Fact]
    public void Blocking_and_mean_occupancy_match_Erlang_B_within_a_99_percent_interval()
    {
        double blocking = ErlangB(OfferedErlangs, Ports);
        var failureFractions = new double[Replications];
        var meanInUse = new double[Replications];
        for (int r = 0; r < Replications; r++)
        {
            var driver = new LossSystemDriver(seed: 1_000 + (ulong)r);
            (failureFractions[r], meanInUse[r]) = driver.Run(WarmUp, Window);
        }

        AssertWithinInterval(failureFractions, blocking, "failure fraction");
        AssertWithinInterval(meanInUse, OfferedErlangs * (1 - blocking), "mean ports in use");
    }

    [Theory]
    [InlineData(1.0, 1, 0.5)]
    [InlineData(2.0, 2, 0.4)]
    [InlineData(10.0, 10, 0.2146)]
    public void Erlang_B_recursion_matches_known_values(double erlangs, int servers, double expected) =>
        Assert.Equal(expected, ErlangB(erlangs, servers), 3);

    /// <summary>The stable recursion B(a, 0) = 1, B(a, k) = a B / (k + a B).</summary>
    private static double ErlangB(double erlangs, int servers)
    {
        double b = 1;
        for (int k = 1; k <= servers; k++) b = erlangs * b / (k + erlangs * b);
        return b;
    }

    /// <summary>Student-t 99% interval over independent replications.</summary>
    private static void AssertWithinInterval(double[] samples, double expected, string what)
    {
        double mean = samples.Average();
        double variance = samples.Sum(x => (x - mean) * (x - mean)) / (samples.Length - 1);
        double halfWidth = StudentT.InvCDF(0, 1, samples.Length - 1, 0.995) * Math.Sqrt(variance / samples.Length);
        Assert.True(Math.Abs(mean - expected) <= halfWidth,
            $"{what}: simulated {mean:G5} ± {halfWidth:G3} (99%), Erlang B theory {expected:G5}");
    }

    /// <summary>Poisson arrivals toward one destination, each holding its port for a fixed time.</summary>
    private sealed class LossSystemDriver : IEventTarget
    {
        private const int Arrival = 0;
        private const int Departure = 1;

        private readonly Simulator _simulator;
        private readonly NatGateway _gateway;
        private readonly System.Random _arrivals;
        private readonly List<FlowTuple> _held = [];
        private readonly Stack<int> _freeSlots = new();
        private readonly SimTime _hold = SimTime.FromSeconds(HoldSeconds);
        private readonly double _ratePerSecond = OfferedErlangs / HoldSeconds;
        private int _nextSourcePort;

        public LossSystemDriver(ulong seed)
        {
            _simulator = new Simulator(seed);
            _arrivals = _simulator.Random.Stream("arrivals");
            var spec = new NatGatewayOptions
            {
                FirstPublicIp = IPv4Address.Parse("203.0.113.1"),
                Ports = new PortRange(1024, 1024 + Ports - 1),
            };
            _gateway = new NatGateway(spec, _simulator.Random.Stream("nat"));
        }

        public (double FailureFraction, double MeanInUse) Run(SimTime warmUp, SimTime window)
        {
            ScheduleNextArrival();
            _simulator.RunUntil(warmUp);
            _gateway.RestartStatistics(warmUp);
            _simulator.RunUntil(warmUp + window);
            SimTime end = _simulator.Now;
            return ((double)_gateway.Failures / (_gateway.Failures + _gateway.Allocated), _gateway.MeanInUse(end));
        }

        public void OnEvent(int kind, long argument)
        {
            if (kind == Departure)
            {
                _gateway.Release(_simulator.Now, _held[(int)argument]);
                _freeSlots.Push((int)argument);
                return;
            }
            var nodeSide = new FlowTuple(IPv4Address.Parse("10.0.0.1"), (ushort)(32768 + _nextSourcePort++ % 28_000),
                IPv4Address.Parse("93.184.216.34"), 443, IpProtocol.Tcp);
            if (_gateway.TryAllocate(_simulator.Now, nodeSide, out FlowTuple publicSide))
            {
                int slot;
                if (_freeSlots.Count > 0)
                {
                    slot = _freeSlots.Pop();
                    _held[slot] = publicSide;
                }
                else
                {
                    slot = _held.Count;
                    _held.Add(publicSide);
                }
                _simulator.ScheduleAfter(_hold, this, Departure, slot);
            }
            ScheduleNextArrival();
        }

        private void ScheduleNextArrival() =>
            _simulator.ScheduleAfter(SimTime.FromSeconds(-Math.Log(1 - _arrivals.NextDouble()) / _ratePerSecond), this, Arrival);
    }
}
