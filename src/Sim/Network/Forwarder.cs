using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// Carries messages along their routes, pipelined: a message enters hop i when its head (first
/// packet) has left hop i − 1, its tail following (<see cref="PacketTrain"/>), one event per
/// hop; it is delivered when its tail arrives. Messages in flight live in a pool of records
/// indexed by the event argument, so forwarding allocates nothing in steady state.
/// </summary>
/// <remarks>Invariant: <see cref="Sent"/> = <see cref="Delivered"/> + <see cref="Dropped"/> + <see cref="InFlight"/>.</remarks>
public sealed class Forwarder : IEventTarget
{
    private const int ArriveAtHop = 0;

    private struct InFlightRecord
    {
        public Route Route;
        public Message Message;
        public IMessageSink? Sink;
        public PacketTrain Arrival;
        public int NextHop;
    }

    private readonly Simulator _simulator;
    private readonly RecordPool<InFlightRecord> _records = new(256);

    public Forwarder(Simulator simulator)
    {
        _simulator = simulator;
    }

    /// <summary>Messages handed to <see cref="Send"/>.</summary>
    public long Sent { get; private set; }
    /// <summary>Messages that left the last hop of their route.</summary>
    public long Delivered { get; private set; }
    /// <summary>Messages dropped at some hop.</summary>
    public long Dropped { get; private set; }
    /// <summary>Messages still crossing their route.</summary>
    public long InFlight => Sent - Delivered - Dropped;

    /// <summary>Sends <paramref name="message"/> into the first hop of <paramref name="route"/> now.</summary>
    public void Send(in Route route, in Message message, IMessageSink sink)
    {
        if (route.Count == 0) throw new ArgumentException("A route needs at least one hop.", nameof(route));
        int index = _records.Allocate();
        ref InFlightRecord record = ref _records[index];
        record.Route = route;
        record.Message = message;
        record.Sink = sink;
        record.NextHop = 0;
        record.Arrival = PacketTrain.At(_simulator.Now);
        Sent++;
        Advance(index);
    }

    void IEventTarget.OnEvent(int kind, long argument) => Advance((int)argument);

    private void Advance(int index)
    {
        ref InFlightRecord record = ref _records[index];
        if (record.NextHop == record.Route.Count)
        {
            Delivered++;
            Message delivered = record.Message;
            IMessageSink sink = Release(index);
            sink.OnDelivered(delivered);
            return;
        }
        int hop = record.NextHop++;
        if (record.Route[hop].TryAdmit(record.Arrival, ref record.Message, out PacketTrain exit, out HopDropReason reason))
        {
            record.Arrival = exit;
            _simulator.Schedule(record.NextHop == record.Route.Count ? exit.Tail : exit.Head, this, ArriveAtHop, index);
            return;
        }
        Dropped++;
        Message dropped = record.Message;
        IMessageSink dropSink = Release(index);
        dropSink.OnDropped(dropped, reason, hop);
    }

    private IMessageSink Release(int index)
    {
        ref InFlightRecord record = ref _records[index];
        IMessageSink sink = record.Sink!;
        record.Sink = null;
        record.Route = default;
        _records.Release(index);
        return sink;
    }
}
