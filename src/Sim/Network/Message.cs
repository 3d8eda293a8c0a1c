using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// One application message (a SYN, a request, a response) crossing a route as one
/// transmission per link and one job per CPU, charged for <see cref="Packets"/> packets.
/// </summary>
public struct Message
{
    /// <summary>Bytes on the wire, headers and encapsulation included.</summary>
    public long SizeBytes;
    /// <summary>Packets the message is split into (ceil of payload / MSS).</summary>
    public int Packets;
    /// <summary>What the message is, in the sender's own codes (e.g. SYN, request, response).</summary>
    public int Kind;
    /// <summary>The flow (e.g. connection index) the message belongs to.</summary>
    public long Flow;
    /// <summary>When the message left its sender.</summary>
    public SimTime SentAt;
}
