using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Linux;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>
/// One replication of a conntrack table fed Poisson UDP flows that are answered once (UDP_REPLIED, held for the UDP
/// timeout) and never seen again. Returns the mean live entries (nf_conntrack_count less the expired entries not yet
/// reaped) and the mean nf_conntrack_count, as Poisson arrivals see them (PASTA: equal to the time averages).
/// </summary>
internal sealed class ConntrackOccupancyRun(Simulator simulator, ConntrackTable table, double ratePerSecond, SimTime warmUp) : IEventTarget
{
    private readonly System.Random _arrivals = simulator.Random.Stream("arrivals");
    private uint _next;
    private double _liveSum;
    private double _countSum;
    private long _samples;

    /// <summary>Runs <paramref name="warmUp"/> then <paramref name="window"/> with a table large enough never to fill.</summary>
    public static (double MeanLive, double MeanCount) Run(double ratePerSecond, ConntrackTimeouts timeouts, SimTime warmUp, SimTime window, ulong seed)
    {
        var simulator = new Simulator(seed);
        var table = new ConntrackTable(maxEntries: 1 << 22, buckets: 1 << 18, timeouts, KernelVersion.Default, simulator.Random.Stream("conntrack"));
        var run = new ConntrackOccupancyRun(simulator, table, ratePerSecond, warmUp);
        run.ScheduleNext();
        simulator.RunUntil(warmUp + window);
        return (run._liveSum / run._samples, run._countSum / run._samples);
    }

    public void OnEvent(int kind, long argument)
    {
        ScheduleNext();
        SimTime now = simulator.Now;
        table.AdvanceTo(now);
        if (now >= warmUp)
        {
            _liveSum += table.Count - table.ExpiredUnreaped;
            _countSum += table.Count;
            _samples++;
        }
        _next++;
        var original = new FlowTuple(new IPv4Address(0x0A000000 + _next), 1000, new IPv4Address(0x0A600000), 53, IpProtocol.Udp);
        table.TryInsert(now, original, original.Reversed(), ConntrackState.UdpReplied, out _);
    }

    private void ScheduleNext() =>
        simulator.ScheduleAfter(SimTime.FromSeconds(-Math.Log(1 - _arrivals.NextDouble()) / ratePerSecond), this, 0);
}
