using ClusterNetPerf.Sim.Kernel;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// An M/G/c/c loss system on the <see cref="Simulator"/>: c servers, no queue; an arrival
/// that finds every server busy is blocked. Departures are scheduled events.
/// </summary>
internal sealed class LossSystem : IEventTarget
{
    private const int Arrival = 0;
    private const int Departure = 1;

    private readonly Simulator _simulator;
    private readonly int _servers;
    private readonly double _arrivalRatePerNs;
    private readonly Func<System.Random, long> _holdingNs;
    private readonly System.Random _gaps;
    private readonly System.Random _holding;
    private int _busy;

    public LossSystem(Simulator simulator, int servers, double arrivalRatePerNs, Func<System.Random, long> holdingNs, int arrivals)
    {
        _simulator = simulator;
        _servers = servers;
        _arrivalRatePerNs = arrivalRatePerNs;
        _holdingNs = holdingNs;
        _gaps = simulator.Random.Stream("loss/gaps");
        _holding = simulator.Random.Stream("loss/holding");
        Blocked = new double[arrivals];
    }

    /// <summary>1 if arrival i was blocked, else 0.</summary>
    public double[] Blocked { get; }

    public int Arrivals { get; private set; }

    public void Start() => ScheduleArrival();

    public void OnEvent(int kind, long argument)
    {
        if (kind == Departure)
        {
            _busy--;
            return;
        }
        if (_busy == _servers)
            Blocked[Arrivals] = 1;
        else
        {
            _busy++;
            _simulator.ScheduleAfter(new SimTime(_holdingNs(_holding)), this, Departure);
        }
        if (++Arrivals < Blocked.Length) ScheduleArrival();
    }

    private void ScheduleArrival() =>
        _simulator.ScheduleAfter(new SimTime((long)Math.Round(Exponential.Sample(_gaps, _arrivalRatePerNs))), this, Arrival);
}
