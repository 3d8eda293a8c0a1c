using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>An IPv4 network in CIDR notation, e.g. <c>10.244.0.0/16</c>; host bits must be zero.</summary>
public readonly record struct CidrBlock(uint Network, int PrefixLength)
{
    /// <summary>Number of addresses in the block, 2^(32 − prefix).</summary>
    public long AddressCount => 1L << (32 - PrefixLength);

    /// <summary>Parses <c>a.b.c.d/p</c>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out CidrBlock block, out string? error)
    {
        block = default;
        string[] parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !IPAddress.TryParse(parts[0], out IPAddress? address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || parts[0].Count(c => c == '.') != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)
            || prefix > 32)
        {
            error = "an IPv4 CIDR such as 10.244.0.0/16";
            return false;
        }
        byte[] bytes = address.GetAddressBytes();
        uint network = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        uint hostMask = prefix == 0 ? uint.MaxValue : (1u << (32 - prefix)) - 1;
        if ((network & hostMask) != 0)
        {
            error = "a network address with its host bits zero";
            return false;
        }
        block = new CidrBlock(network, prefix);
        error = null;
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">The text is not an IPv4 network in CIDR notation.</exception>
    public static CidrBlock Parse(string text) =>
        TryParse(text, out CidrBlock block, out string? error) ? block : throw new FormatException($"'{text}': expected {error}");

    /// <summary>Formats as <c>a.b.c.d/p</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Network >> 24}.{(Network >> 16) & 0xFF}.{(Network >> 8) & 0xFF}.{Network & 0xFF}/{PrefixLength}");
}
