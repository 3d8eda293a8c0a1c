using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A point-to-point link: a FIFO transmitter of a given bandwidth with a finite byte buffer
/// (drop-tail), followed by a propagation delay. Queueing and loss emerge from the traffic.
/// </summary>
/// <remarks>
/// A FIFO server with known transmission times needs no events: a message whose head arrives
/// at t starts at max(t, busyUntil), its packets follow as they arrive (<see cref="PacketTrain"/>),
/// and each arrives propagation later. The backlog at t is the bytes not yet transmitted,
/// (busyUntil − t) × bandwidth (an upper bound while a slow train leaves gaps). A message that finds the link idle is
/// always admitted, whatever its size: at message granularity a large response stands for a
/// window of packets that TCP would pace into the buffer, not one burst.
/// </remarks>
public sealed class Link : IHop
{
    private readonly double _bytesPerNanosecond;
    private readonly Queue<long> _arrivals = new();
    private long _busyUntil;
    private long _busyNanosInWindow;
    private long _windowStart;

    /// <param name="name">For reports, e.g. "node-3/uplink".</param>
    /// <param name="bandwidth">Transmission rate.</param>
    /// <param name="propagationDelay">Time from the last bit sent to the last bit received.</param>
    /// <param name="buffer">Bytes the queue holds before it drops (drop-tail).</param>
    public Link(string name, DataRate bandwidth, SimTime propagationDelay, ByteSize buffer)
    {
        if (bandwidth.BitsPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(bandwidth), "Bandwidth must be positive.");
        if (propagationDelay.Nanoseconds < 0) throw new ArgumentOutOfRangeException(nameof(propagationDelay), "Propagation delay must not be negative.");
        if (buffer.Bytes < 0) throw new ArgumentOutOfRangeException(nameof(buffer), "Buffer must not be negative.");
        Name = name;
        Bandwidth = bandwidth;
        PropagationDelay = propagationDelay;
        Buffer = buffer;
        _bytesPerNanosecond = bandwidth.BitsPerSecond / 8e9;
    }

    public string Name { get; }
    public DataRate Bandwidth { get; }
    public SimTime PropagationDelay { get; }
    public ByteSize Buffer { get; }

    /// <summary>Messages offered to the link.</summary>
    public long Offered { get; private set; }
    /// <summary>Messages dropped because the buffer was full.</summary>
    public long Dropped { get; private set; }
    /// <summary>Bytes admitted.</summary>
    public long BytesAdmitted { get; private set; }

    /// <summary>Messages admitted and arrived at the far end by <paramref name="now"/>. O(1) amortised.</summary>
    public long Delivered(SimTime now)
    {
        ForgetArrivalsUpTo(now.Nanoseconds);
        return Offered - Dropped - _arrivals.Count;
    }

    /// <summary>Messages admitted that have not arrived by <paramref name="now"/> (queued, on the wire, propagating).</summary>
    public long InFlight(SimTime now)
    {
        ForgetArrivalsUpTo(now.Nanoseconds);
        return _arrivals.Count;
    }

    /// <summary>Bytes waiting or being transmitted at <paramref name="now"/>.</summary>
    public long BacklogBytes(SimTime now) =>
        _busyUntil <= now.Nanoseconds ? 0 : (long)Math.Ceiling((_busyUntil - now.Nanoseconds) * _bytesPerNanosecond);

    /// <summary>Fraction of the window (since <see cref="StartWindow"/>) the transmitter was busy.</summary>
    public double Utilization(SimTime now)
    {
        long span = now.Nanoseconds - _windowStart;
        if (span <= 0) return 0;
        long future = Math.Max(0, _busyUntil - now.Nanoseconds);
        return (_busyNanosInWindow - future) / (double)span;
    }

    /// <summary>Starts the measurement window at <paramref name="now"/> (after warm-up); counters restart.</summary>
    public void StartWindow(SimTime now)
    {
        _windowStart = now.Nanoseconds;
        _busyNanosInWindow = Math.Max(0, _busyUntil - now.Nanoseconds);
        ForgetArrivalsUpTo(now.Nanoseconds);
        Offered = _arrivals.Count;
        Dropped = 0;
        BytesAdmitted = 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The message's packets are transmitted one after another as they arrive
    /// (<see cref="PacketTrain.Through"/>), each a 1/<see cref="Message.Packets"/> share of
    /// its transmission time (the rounding remainder, under a nanosecond per packet, on the head).
    /// </remarks>
    public bool TryAdmit(in PacketTrain arrival, ref Message message, out PacketTrain exit, out HopDropReason reason)
    {
        long t = arrival.Head.Nanoseconds;
        Offered++;
        long backlog = BacklogBytes(arrival.Head);
        if (backlog > 0 && backlog + message.SizeBytes > Buffer.Bytes)
        {
            Dropped++;
            exit = default;
            reason = HopDropReason.BufferFull;
            return false;
        }
        long transmission = (long)Math.Ceiling(message.SizeBytes / _bytesPerNanosecond);
        int packets = Math.Max(1, message.Packets);
        long perPacket = packets == 1 ? transmission : transmission / packets;
        PacketTrain sent = arrival.Through(_busyUntil, transmission - perPacket * packets, perPacket, packets);
        _busyUntil = sent.Tail.Nanoseconds;
        _busyNanosInWindow += transmission;
        BytesAdmitted += message.SizeBytes;
        exit = sent.After(PropagationDelay);
        _arrivals.Enqueue(exit.Tail.Nanoseconds);
        ForgetArrivalsUpTo(t);
        reason = default;
        return true;
    }

    private void ForgetArrivalsUpTo(long t)
    {
        while (_arrivals.Count > 0 && _arrivals.Peek() <= t) _arrivals.Dequeue();
    }
}
