namespace ClusterNetPerf.Sim.Network;

/// <summary>An IPv4 prefix such as 10.244.0.0/16.</summary>
public readonly record struct Ipv4Cidr(IPv4Address Network, int PrefixLength)
{
    /// <summary>Addresses in the prefix, network and broadcast included.</summary>
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>Parses "10.244.0.0/16"; the address must be the network address of the prefix.</summary>
    public static bool TryParse(string? text, out Ipv4Cidr cidr, out string? error)
    {
        cidr = default;
        string[] parts = text?.Split('/') ?? [];
        if (parts.Length != 2 || !IPv4Address.TryParse(parts[0], out IPv4Address network) ||
            !int.TryParse(parts[1], out int length) || length is < 0 or > 32)
        {
            error = $"'{text}' is not a CIDR: expected an IPv4 prefix such as 10.244.0.0/16";
            return false;
        }
        uint mask = length == 0 ? 0 : uint.MaxValue << (32 - length);
        if ((network.Value & ~mask) != 0)
        {
            error = $"'{text}' has host bits set: the network address of /{length} there is {new IPv4Address(network.Value & mask)}";
            return false;
        }
        cidr = new Ipv4Cidr(network, length);
        error = null;
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>, throwing on failure.</summary>
    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out Ipv4Cidr cidr, out string? error) ? cidr : throw new FormatException(error);

    /// <summary>The <paramref name="index"/>-th sub-prefix of length <paramref name="prefixLength"/>.</summary>
    public Ipv4Cidr Subnet(int prefixLength, long index)
    {
        if (prefixLength < PrefixLength || prefixLength > 32) throw new ArgumentOutOfRangeException(nameof(prefixLength));
        long count = 1L << (prefixLength - PrefixLength);
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), $"{this} holds {count} /{prefixLength} subnets.");
        return new Ipv4Cidr(Network + (uint)(index << (32 - prefixLength)), prefixLength);
    }

    public bool Contains(IPv4Address address)
    {
        uint mask = PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
        return (address.Value & mask) == Network.Value;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
