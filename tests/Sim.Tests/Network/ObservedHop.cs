using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Sim.Tests.Network;

/// <summary>A hop that reports every message reaching it, then lets the hop it wraps decide.</summary>
internal sealed class ObservedHop(IHop inner, Action<SimTime, Message> onArrival) : IHop
{
    public bool TryAdmit(SimTime now, ref Message message, out SimTime exit, out HopDropReason reason)
    {
        onArrival(now, message);
        return inner.TryAdmit(now, ref message, out exit, out reason);
    }
}
