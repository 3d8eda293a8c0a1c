namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// One stage of a route: a link, or work on a CPU. A hop is told of a message when its head
/// arrives, with the time its tail will have arrived, and answers when the head and the tail
/// reach the next hop (<see cref="PacketTrain"/>: a hop starts on the first packet, not after
/// the whole message), or that the message was dropped. Arrivals must be presented in the
/// order of their heads; hops then keep exact FIFO order without events of their own.
/// </summary>
public interface IHop
{
    /// <summary>Admits <paramref name="message"/>, whose packets arrive as <paramref name="arrival"/>.</summary>
    /// <param name="exit">When the head and the tail reach the next hop; valid when admitted.</param>
    /// <param name="reason">Why it was dropped; valid when not admitted.</param>
    /// <returns>True if admitted, false if dropped.</returns>
    bool TryAdmit(in PacketTrain arrival, ref Message message, out PacketTrain exit, out HopDropReason reason);
}
