using System.Globalization;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>An inclusive range of ports written <c>low-high</c>, e.g. <c>32768-60999</c> (Linux's default ephemeral range).</summary>
public readonly record struct PortRange(int Low, int High)
{
    /// <summary>Number of ports in the range.</summary>
    public int Count => High - Low + 1;

    /// <summary>Parses <c>low-high</c> with 1 ≤ low ≤ high ≤ 65535; on failure <paramref name="error"/> says what was expected.</summary>
    public static bool TryParse(string? text, out PortRange range, out string? error)
    {
        range = default;
        string[] parts = (text ?? "").Split('-');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int high)
            && low >= 1 && low <= high && high <= 65535)
        {
            range = new PortRange(low, high);
            error = null;
            return true;
        }
        error = "a port range low-high with 1 <= low <= high <= 65535";
        return false;
    }

    /// <summary>Parses like <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">The text is not a valid port range.</exception>
    public static PortRange Parse(string text) =>
        TryParse(text, out PortRange range, out string? error) ? range : throw new FormatException($"'{text}': expected {error}");

    /// <summary>Formats as <c>low-high</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Low}-{High}");
}
