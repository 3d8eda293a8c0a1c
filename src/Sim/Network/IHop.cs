using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// One stage of a route: a link, or work on a CPU. A hop is told of a message when it
/// arrives and answers when the message reaches the next hop, or that it was dropped.
/// Arrivals must be presented in time order; hops then keep exact FIFO order without
/// events of their own.
/// </summary>
public interface IHop
{
    /// <summary>Admits <paramref name="message"/> arriving at <paramref name="now"/>.</summary>
    /// <param name="exit">When the message reaches the next hop; valid when admitted.</param>
    /// <param name="reason">Why it was dropped; valid when not admitted.</param>
    /// <returns>True if admitted, false if dropped.</returns>
    bool TryAdmit(SimTime now, ref Message message, out SimTime exit, out HopDropReason reason);
}
