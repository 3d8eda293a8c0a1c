using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// Poisson arrivals of messages into one route through a <see cref="Forwarder"/>, recording
/// when each message was sent and when it was delivered (or −1 if dropped). Stops after
/// <see cref="Capacity"/> messages; records into arrays sized up front, so a run allocates
/// nothing per message.
/// </summary>
internal sealed class PoissonSource : IEventTarget, IMessageSink
{
    public const long Dropped = -1;
    private const long NotYetDone = long.MinValue;

    private readonly Simulator _simulator;
    private readonly Forwarder _forwarder;
    private readonly Route _route;
    private readonly System.Random _gaps;
    private readonly System.Random _sizes;
    private readonly double _ratePerNanosecond;
    private readonly Func<System.Random, long> _sizeBytes;

    /// <param name="arrivalsPerSecond">λ of the Poisson process.</param>
    /// <param name="sizeBytes">Draws one message size from the stream it is given.</param>
    /// <param name="capacity">Messages to send before stopping.</param>
    public PoissonSource(Simulator simulator, Route route, double arrivalsPerSecond, Func<System.Random, long> sizeBytes, int capacity)
    {
        _simulator = simulator;
        _forwarder = new Forwarder(simulator);
        _route = route;
        _gaps = simulator.Random.Stream("source/gaps");
        _sizes = simulator.Random.Stream("source/sizes");
        _ratePerNanosecond = arrivalsPerSecond / 1e9;
        _sizeBytes = sizeBytes;
        SentAt = new long[capacity];
        DoneAt = new long[capacity];
        Array.Fill(DoneAt, NotYetDone);
    }

    public Forwarder Forwarder => _forwarder;
    public int Capacity => SentAt.Length;
    public int Generated { get; private set; }

    /// <summary>Send time of message i (its flow number), in ns.</summary>
    public long[] SentAt { get; }

    /// <summary>Delivery time of message i in ns, <see cref="Dropped"/>, or long.MinValue while in flight.</summary>
    public long[] DoneAt { get; }

    /// <summary>Schedules the first arrival one exponential gap after now.</summary>
    public void Start() => ScheduleNextArrival();

    /// <summary>Sojourn times (delivery − send) in ns of the delivered messages, in order of sending.</summary>
    public double[] Sojourns() =>
        Enumerable.Range(0, Generated).Where(i => DoneAt[i] >= 0).Select(i => (double)(DoneAt[i] - SentAt[i])).ToArray();

    void IEventTarget.OnEvent(int kind, long argument)
    {
        int flow = Generated++;
        long now = _simulator.Now.Nanoseconds;
        SentAt[flow] = now;
        var message = new Message { SizeBytes = _sizeBytes(_sizes), Packets = 1, Flow = flow, SentAt = _simulator.Now };
        _forwarder.Send(_route, message, this);
        if (Generated < Capacity) ScheduleNextArrival();
    }

    public void OnDelivered(in Message message) => DoneAt[message.Flow] = _simulator.Now.Nanoseconds;

    public void OnDropped(in Message message, HopDropReason reason, int hopIndex) => DoneAt[message.Flow] = Dropped;

    private void ScheduleNextArrival() =>
        _simulator.ScheduleAfter(new SimTime((long)Math.Round(Exponential.Sample(_gaps, _ratePerNanosecond))), this, 0);
}
