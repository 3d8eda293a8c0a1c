using System.Globalization;

namespace ClusterNetPerf.Sim.Network;

/// <summary>An IPv4 address as its 32-bit value (so "10.244.1.5" + 1 is "10.244.1.6").</summary>
public readonly record struct IPv4Address(uint Value) : IComparable<IPv4Address>
{
    /// <summary>Parses a dotted quad such as "10.244.0.1".</summary>
    /// <exception cref="FormatException">Not four numbers 0–255 separated by dots.</exception>
    public static IPv4Address Parse(string text) =>
        TryParse(text, out IPv4Address address) ? address : throw new FormatException($"'{text}' is not an IPv4 address (expected e.g. 10.244.0.1)");

    /// <summary>Parses a dotted quad; false if <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out IPv4Address address)
    {
        address = default;
        if (text is null) return false;
        string[] parts = text.Split('.');
        if (parts.Length != 4) return false;
        uint value = 0;
        foreach (string part in parts)
        {
            if (!byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out byte octet)) return false;
            value = (value << 8) | octet;
        }
        address = new IPv4Address(value);
        return true;
    }

    public static IPv4Address operator +(IPv4Address address, uint offset) => new(address.Value + offset);

    public int CompareTo(IPv4Address other) => Value.CompareTo(other.Value);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value >> 24}.{(Value >> 16) & 255}.{(Value >> 8) & 255}.{Value & 255}");
}
