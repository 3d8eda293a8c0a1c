using System.Globalization;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// An IPv4 address as a host-order 32-bit number, so that consecutive addresses (a pool of
/// public IPs, a pod CIDR) are plain additions. Ordered as unsigned numbers, which is also
/// dotted-quad order.
/// </summary>
public readonly record struct IPv4Address(uint Value) : IComparable<IPv4Address>
{
    /// <summary>Parses a dotted quad such as "10.0.3.17".</summary>
    /// <exception cref="FormatException">Not four decimal octets 0–255 separated by dots.</exception>
    public static IPv4Address Parse(string text) =>
        TryParse(text, out IPv4Address address) ? address : throw new FormatException($"'{text}' is not an IPv4 address (dotted quad, e.g. 10.0.0.1).");

    /// <summary>Parses like <see cref="Parse"/>; returns false instead of throwing.</summary>
    public static bool TryParse(string? text, out IPv4Address address)
    {
        address = default;
        if (text is null) return false;
        ReadOnlySpan<char> rest = text;
        uint value = 0;
        for (int octet = 0; octet < 4; octet++)
        {
            int dot = rest.IndexOf('.');
            ReadOnlySpan<char> part = octet < 3 ? (dot < 0 ? [] : rest[..dot]) : rest;
            if (part.Length is 0 or > 3 || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out byte b))
                return false;
            value = (value << 8) | b;
            if (octet < 3) rest = rest[(dot + 1)..];
        }
        address = new IPv4Address(value);
        return true;
    }

    /// <summary>The address <paramref name="offset"/> after this one, e.g. the next IP of a pool.</summary>
    /// <exception cref="OverflowException">The result would pass 255.255.255.255.</exception>
    public static IPv4Address operator +(IPv4Address address, uint offset) => new(checked(address.Value + offset));

    public static bool operator <(IPv4Address a, IPv4Address b) => a.Value < b.Value;
    public static bool operator >(IPv4Address a, IPv4Address b) => a.Value > b.Value;
    public static bool operator <=(IPv4Address a, IPv4Address b) => a.Value <= b.Value;
    public static bool operator >=(IPv4Address a, IPv4Address b) => a.Value >= b.Value;

    public int CompareTo(IPv4Address other) => Value.CompareTo(other.Value);

    /// <summary>The dotted quad, e.g. "10.0.3.17".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}");
}
