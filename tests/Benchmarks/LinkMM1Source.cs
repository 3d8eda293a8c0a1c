using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Benchmarks;

/// <summary>
/// Open Poisson arrivals of exponentially sized messages into one link through a
/// <see cref="Forwarder"/>: each arrival event sends a message and re-arms the next arrival;
/// the sink hears deliveries. Gaps and sizes replay pre-drawn arrays. Stops the run once the
/// simulator has processed <see cref="StopAfter"/> events.
/// </summary>
internal sealed class LinkMM1Source(Simulator simulator, Route route, long[] gapsNs, long[] sizesBytes) : IEventTarget, IMessageSink
{
    private readonly Forwarder _forwarder = new(simulator);
    private int _next;

    /// <summary>The <see cref="Simulator.EventsProcessed"/> count at which the run stops.</summary>
    public long StopAfter { get; set; }

    public long Delivered { get; private set; }

    public void Start() => simulator.ScheduleAfter(new SimTime(gapsNs[0]), this, 0);

    public void OnEvent(int kind, long argument)
    {
        int i = _next++ & ExponentialOffsets.Mask;
        _forwarder.Send(route, new Message { SizeBytes = sizesBytes[i], Packets = 1, Flow = _next, SentAt = simulator.Now }, this);
        simulator.ScheduleAfter(new SimTime(gapsNs[i]), this, 0);
        StopWhenDone();
    }

    public void OnDelivered(in Message message)
    {
        Delivered++;
        StopWhenDone();
    }

    public void OnDropped(in Message message, HopDropReason reason, int hopIndex) => StopWhenDone();

    private void StopWhenDone()
    {
        if (simulator.EventsProcessed >= StopAfter) simulator.Stop();
    }
}
