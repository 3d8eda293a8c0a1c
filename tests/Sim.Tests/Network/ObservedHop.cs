using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

/// <summary>A hop that reports every message reaching it, then lets the hop it wraps decide.</summary>
internal sealed class ObservedHop(IHop inner, Action<SimTime, Message> onArrival) : IHop
{
    public bool TryAdmit(in PacketTrain arrival, ref Message message, out PacketTrain exit, out HopDropReason reason)
    {
        onArrival(arrival.Head, message);
        return inner.TryAdmit(arrival, ref message, out exit, out reason);
    }
}
