namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A connection's 5-tuple as one direction of a packet sees it: the key of conntrack and NAT
/// tables. Hashing packs the fields into two 64-bit words, so lookups cost O(1) and no allocation.
/// </summary>
public readonly record struct FlowTuple(
    IPv4Address SourceIp, ushort SourcePort, IPv4Address DestinationIp, ushort DestinationPort, IpProtocol Protocol)
{
    /// <summary>The tuple of a packet going the other way (source and destination swapped).</summary>
    public FlowTuple Reversed() => new(DestinationIp, DestinationPort, SourceIp, SourcePort, Protocol);

    public bool Equals(FlowTuple other) =>
        SourceIp.Value == other.SourceIp.Value && DestinationIp.Value == other.DestinationIp.Value &&
        SourcePort == other.SourcePort && DestinationPort == other.DestinationPort && Protocol == other.Protocol;

    public override int GetHashCode()
    {
        ulong addresses = ((ulong)SourceIp.Value << 32) | DestinationIp.Value;
        ulong rest = ((ulong)SourcePort << 24) | ((ulong)DestinationPort << 8) | (byte)Protocol;
        ulong mixed = (addresses ^ (rest * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        return (int)(mixed ^ (mixed >> 32));
    }

    public override string ToString() => $"{Protocol} {SourceIp}:{SourcePort} → {DestinationIp}:{DestinationPort}";
}
