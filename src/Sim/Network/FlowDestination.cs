namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// Where a connection goes: destination address, port and protocol. NAT devices keep a
/// translated source port unique per destination, so this is the key of their port tables.
/// </summary>
public readonly record struct FlowDestination(IPv4Address Ip, ushort Port, IpProtocol Protocol)
{
    /// <summary>The destination of a flow.</summary>
    public static FlowDestination Of(in FlowTuple flow) => new(flow.DestinationIp, flow.DestinationPort, flow.Protocol);

    /// <summary>The three fields packed into 56 bits: a cheap, collision-free dictionary key.</summary>
    internal ulong Key => (ulong)Ip.Value << 24 | (ulong)Port << 8 | (byte)Protocol;

    /// <summary>"ip:port/proto", e.g. "93.184.216.34:443/Tcp".</summary>
    public override string ToString() => $"{Ip}:{Port}/{Protocol}";
}
