using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A route hop that charges fixed work on a <see cref="Cpu"/>: a cost per message plus a cost
/// per packet the kernel handles (e.g. veth + bridge forwarding, or VXLAN encapsulation), where
/// GRO on receive and TSO/GSO on send hand the stack one buffer for up to
/// <see cref="BatchBytes"/> of a flow's back-to-back segments, so the per-packet cost is paid
/// once per batch.
/// </summary>
public sealed class CpuStage : IHop
{
    /// <param name="cpu">The cores the work queues on.</param>
    /// <param name="perMessage">Work once per message.</param>
    /// <param name="perPacket">Work for each packet the stack handles (each GRO/TSO batch).</param>
    /// <param name="batchBytes">Bytes GRO/TSO merge into one buffer; 0 for none (per wire packet).</param>
    public CpuStage(Cpu cpu, SimTime perMessage, SimTime perPacket, long batchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchBytes);
        Cpu = cpu;
        PerMessage = perMessage;
        PerPacket = perPacket;
        BatchBytes = batchBytes;
    }

    public Cpu Cpu { get; }
    public SimTime PerMessage { get; }
    public SimTime PerPacket { get; }
    public long BatchBytes { get; }

    /// <summary>Packets the stack handles for <paramref name="message"/>: its wire packets, merged into batches of <see cref="BatchBytes"/>.</summary>
    public int UnitsOf(in Message message)
    {
        int packets = Math.Max(1, message.Packets);
        if (BatchBytes == 0 || packets == 1) return packets;
        return (int)Math.Min(packets, (message.SizeBytes + BatchBytes - 1) / BatchBytes);
    }

    /// <inheritdoc />
    public bool TryAdmit(in PacketTrain arrival, ref Message message, out PacketTrain exit, out HopDropReason reason)
    {
        exit = Cpu.Process(arrival, PerMessage, PerPacket, UnitsOf(message), message.Flow);
        reason = default;
        return true;
    }
}
