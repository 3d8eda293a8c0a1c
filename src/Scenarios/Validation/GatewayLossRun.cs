using ClusterNetPerf.Sim.Cluster.Edge;
using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>
/// One replication of a NAT gateway as a loss system: Poisson connections from one node toward one destination,
/// each holding its port for a fixed time: an M/D/c/c loss system, whose refused fraction is Erlang B(λh, c)
/// and whose mean ports in use is λh(1 − B). Used by the validation table and by the headroom tests.
/// </summary>
public sealed class GatewayLossRun : IEventTarget
{
    private const int Arrival = 0;
    private const int Departure = 1;
    private static readonly IPv4Address Node = IPv4Address.Parse("10.0.0.1");
    private static readonly IPv4Address Server = IPv4Address.Parse("93.184.216.34");

    private readonly Simulator _simulator;
    private readonly NatGateway _gateway;
    private readonly System.Random _arrivals;
    private readonly List<FlowTuple> _held = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly SimTime _hold;
    private readonly double _ratePerSecond;
    private int _nextSourcePort;

    private GatewayLossRun(int ports, double offeredErlangs, SimTime hold, ulong seed)
    {
        _simulator = new Simulator(seed);
        _arrivals = _simulator.Random.Stream("arrivals");
        _hold = hold;
        _ratePerSecond = offeredErlangs / hold.TotalSeconds;
        var spec = new NatGatewayOptions { FirstPublicIp = IPv4Address.Parse("203.0.113.1"), Ports = new PortRange(1024, (ushort)(1024 + ports - 1)) };
        _gateway = new NatGateway(spec, _simulator.Random.Stream("nat"));
    }

    /// <summary>What one replication measured in its window.</summary>
    public readonly record struct Outcome(long Offered, long Refused, double MeanInUse)
    {
        public double RefusedFraction => Offered == 0 ? double.NaN : (double)Refused / Offered;
    }

    /// <summary>Runs <paramref name="warmUp"/>, then measures over <paramref name="window"/>.</summary>
    public static Outcome Run(int ports, double offeredErlangs, SimTime hold, SimTime warmUp, SimTime window, ulong seed)
    {
        var run = new GatewayLossRun(ports, offeredErlangs, hold, seed);
        run.ScheduleNextArrival();
        run._simulator.RunUntil(warmUp);
        run._gateway.RestartStatistics(warmUp);
        run._simulator.RunUntil(warmUp + window);
        NatGateway gateway = run._gateway;
        return new Outcome(gateway.Failures + gateway.Allocated, gateway.Failures, gateway.MeanInUse(run._simulator.Now));
    }

    void IEventTarget.OnEvent(int kind, long argument)
    {
        if (kind == Departure)
        {
            _gateway.Release(_simulator.Now, _held[(int)argument]);
            _freeSlots.Push((int)argument);
            return;
        }
        var nodeSide = new FlowTuple(Node, (ushort)(32768 + _nextSourcePort++ % 28_000), Server, 443, IpProtocol.Tcp);
        if (_gateway.TryAllocate(_simulator.Now, nodeSide, out FlowTuple publicSide))
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _held.Count;
            if (slot == _held.Count) _held.Add(publicSide);
            else _held[slot] = publicSide;
            _simulator.ScheduleAfter(_hold, this, Departure, slot);
        }
        ScheduleNextArrival();
    }

    private void ScheduleNextArrival() =>
        _simulator.ScheduleAfter(SimTime.FromSeconds(-Math.Log(1 - _arrivals.NextDouble()) / _ratePerSecond), this, Arrival);
}
