using System.Globalization;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// An inclusive range of TCP/UDP ports, written as in sysctl <c>ip_local_port_range</c> and
/// iptables <c>--to-ports</c>: "32768-60999".
/// </summary>
public readonly record struct PortRange
{
    /// <summary>
    /// Linux's default <c>net.ipv4.ip_local_port_range</c>, 32768–60999 = 28,232 ports
    /// (Documentation/networking/ip-sysctl.rst; docs/model-reference.md, "Source NAT on the node"): the source ports pods pick for themselves.
    /// </summary>
    public static readonly PortRange LinuxEphemeral = new(32768, 60999);

    /// <summary>
    /// The range MASQUERADE searches when the rule gives no <c>--to-ports</c> and the original
    /// source port is ≥ 1024: 1024–65535 = 64,512 ports (nf_nat_core.c,
    /// <c>nf_nat_l4proto_unique_tuple</c>, "If no range specified"; read from the kernel source).
    /// Also the port range of AWS NAT Gateway and GCP Cloud NAT.
    /// </summary>
    public static readonly PortRange Unprivileged = new(1024, 65535);

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="first"/> is after <paramref name="last"/>.</exception>
    public PortRange(ushort first, ushort last)
    {
        if (first > last) throw new ArgumentOutOfRangeException(nameof(first), $"Port range {first}-{last} is empty.");
        First = first;
        Last = last;
    }

    /// <summary>The lowest port of the range.</summary>
    public ushort First { get; }

    /// <summary>The highest port of the range (inclusive).</summary>
    public ushort Last { get; }

    /// <summary>Ports in the range, 1 to 65,536.</summary>
    public int Size => Last - First + 1;

    public bool Contains(ushort port) => port >= First && port <= Last;

    /// <summary>Parses "first-last", e.g. "32768-60999".</summary>
    /// <exception cref="FormatException">Not two ports 1–65535 joined by '-', first ≤ last.</exception>
    public static PortRange Parse(string text) =>
        TryParse(text, out PortRange range, out string? error) ? range : throw new FormatException($"'{text}' is not a port range: expected {error}.");

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> says what was expected.</summary>
    public static bool TryParse(string? text, out PortRange range, out string? error)
    {
        range = default;
        int dash = text?.IndexOf('-') ?? -1;
        if (dash > 0
            && ushort.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out ushort first)
            && ushort.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ushort last)
            && first >= 1 && first <= last)
        {
            range = new PortRange(first, last);
            error = null;
            return true;
        }
        error = "a port range first-last with 1 <= first <= last <= 65535, e.g. 32768-60999";
        return false;
    }

    /// <summary>"first-last".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
