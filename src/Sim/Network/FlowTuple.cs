namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// The 5-tuple that identifies a connection (a conntrack tuple): source and destination
/// address and port, and the transport protocol. A value type of 16 bytes, meant to be passed
/// with <c>in</c> and used as a dictionary key on hot paths.
/// </summary>
public readonly record struct FlowTuple(
    IPv4Address SourceIp, ushort SourcePort, IPv4Address DestinationIp, ushort DestinationPort, IpProtocol Protocol)
{
    /// <summary>The tuple of the reply direction: source and destination swapped.</summary>
    public FlowTuple Reversed() => new(DestinationIp, DestinationPort, SourceIp, SourcePort, Protocol);

    /// <summary>Field-wise equality as two 64-bit comparisons.</summary>
    public bool Equals(FlowTuple other) => Addresses == other.Addresses && PortsAndProtocol == other.PortsAndProtocol;

    /// <summary>
    /// Mixes the two packed words with multiply-xorshift (the SplitMix64 finaliser constants),
    /// so tuples that differ in one port alone still spread over a power-of-two table, at a
    /// fraction of the cost of the field-by-field <see cref="HashCode"/> a record generates.
    /// </summary>
    public override int GetHashCode()
    {
        ulong h = Addresses * 0xBF58476D1CE4E5B9UL ^ PortsAndProtocol * 0x94D049BB133111EBUL;
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        return (int)(h ^ (h >> 32));
    }

    public override string ToString() => $"{Protocol} {SourceIp}:{SourcePort} → {DestinationIp}:{DestinationPort}";

    private ulong Addresses => (ulong)SourceIp.Value << 32 | DestinationIp.Value;

    private ulong PortsAndProtocol => (ulong)SourcePort << 32 | (ulong)DestinationPort << 16 | (byte)Protocol;
}
