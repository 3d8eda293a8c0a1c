using ClusterNetPerf.Scenarios.Running;
using ClusterNetPerf.Scenarios.Specs;
using ClusterNetPerf.Sim.Cluster;
using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Measurement;
using ClusterNetPerf.Sim.Network;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Tests.Capacity;

/// <summary>
/// A gateway port pool as the point runner: Poisson arrivals at the scenario's first workload rate toward
/// one destination, each holding a port for <see cref="HoldSeconds"/>, on a <see cref="NatGateway"/> of
/// <see cref="Ports"/> ports. An M/G/c/c loss system, so the failed fraction is Erlang B(λh, c).
/// </summary>
public sealed class ErlangLossRunner : IPointRunner
{
    public const int Ports = 20;
    public const double HoldSeconds = 1;

    public RunMetrics Run(ScenarioSpec resolved, ulong seed, CancellationToken cancellationToken)
    {
        var system = new LossSystem(seed, resolved.Workloads[0].ConnectionsPerSecond);
        (long offered, long failed) = system.Run(resolved.Warmup, resolved.Duration);
        return new RunMetrics { ConnectionsOffered = offered, ConnectionsFailed = failed, ConnectionsCompleted = offered - failed };
    }

    /// <summary>The largest offered load (erlangs) with blocking under <paramref name="blocking"/>, by bisection on the Erlang B recursion.</summary>
    public static double ErlangsAtBlocking(double blocking)
    {
        double low = 0, high = Ports;
        for (int i = 0; i < 60; i++)
        {
            double middle = (low + high) / 2;
            if (ErlangB(middle) < blocking) low = middle;
            else high = middle;
        }
        return low;
    }

    private static double ErlangB(double erlangs)
    {
        double b = 1;
        for (int k = 1; k <= Ports; k++) b = erlangs * b / (k + erlangs * b);
        return b;
    }

    private sealed class LossSystem : IEventTarget
    {
        private const int Arrival = 0;
        private const int Departure = 1;
        private static readonly IPv4Address Node = IPv4Address.Parse("10.0.0.1");
        private static readonly IPv4Address Server = IPv4Address.Parse("93.184.216.34");

        private readonly Simulator _simulator;
        private readonly NatGateway _gateway;
        private readonly System.Random _arrivals;
        private readonly double _rate;
        private readonly Dictionary<long, FlowTuple> _held = [];
        private long _next;

        public LossSystem(ulong seed, double ratePerSecond)
        {
            _simulator = new Simulator(seed);
            _arrivals = _simulator.Random.Stream("arrivals");
            _rate = ratePerSecond;
            _gateway = new NatGateway(new NatGatewayOptions { FirstPublicIp = IPv4Address.Parse("203.0.113.1"), Ports = new PortRange(1024, 1024 + Ports - 1) },
                _simulator.Random.Stream("nat"));
        }

        public (long Offered, long Failed) Run(SimTime warmUp, SimTime window)
        {
            ScheduleArrival();
            _simulator.RunUntil(warmUp);
            _gateway.RestartStatistics(warmUp);
            _simulator.RunUntil(warmUp + window);
            return (_gateway.Allocated + _gateway.Failures, _gateway.Failures);
        }

        public void OnEvent(int kind, long argument)
        {
            if (kind == Departure)
            {
                _gateway.Release(_simulator.Now, _held[argument]);
                _held.Remove(argument);
                return;
            }
            long id = _next++;
            var flow = new FlowTuple(Node, (ushort)(1024 + id % 60_000), Server, 443, IpProtocol.Tcp);
            if (_gateway.TryAllocate(_simulator.Now, flow, out FlowTuple publicSide))
            {
                _held[id] = publicSide;
                _simulator.ScheduleAfter(SimTime.FromSeconds(HoldSeconds), this, Departure, id);
            }
            ScheduleArrival();
        }

        private void ScheduleArrival() =>
            _simulator.ScheduleAfter(SimTime.FromSeconds(-Math.Log(1 - _arrivals.NextDouble()) / _rate), this, Arrival);
    }
}
