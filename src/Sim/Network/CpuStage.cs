using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A route hop that charges fixed work on a <see cref="Cpu"/>: a cost per message plus a cost
/// per packet (e.g. veth + bridge forwarding, or VXLAN encapsulation).
/// </summary>
public sealed class CpuStage : IHop
{
    /// <param name="cpu">The cores the work queues on.</param>
    /// <param name="perMessage">Work once per message.</param>
    /// <param name="perPacket">Work for each of the message's packets.</param>
    public CpuStage(Cpu cpu, SimTime perMessage, SimTime perPacket)
    {
        Cpu = cpu;
        PerMessage = perMessage;
        PerPacket = perPacket;
    }

    public Cpu Cpu { get; }
    public SimTime PerMessage { get; }
    public SimTime PerPacket { get; }

    /// <inheritdoc />
    public bool TryAdmit(SimTime now, ref Message message, out SimTime exit, out HopDropReason reason)
    {
        exit = Cpu.Process(now, new SimTime(PerMessage.Nanoseconds + PerPacket.Nanoseconds * message.Packets));
        reason = default;
        return true;
    }
}
