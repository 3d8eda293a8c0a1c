using System.Globalization;

namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// Splits "1.5ms", "25Gbps" or "4 MiB" into its number and its unit, the shared first step of
/// every unit parser (<see cref="SimTime"/>, <c>ByteSize</c>, <c>DataRate</c>).
/// </summary>
internal static class UnitText
{
    public static bool TrySplit(string? text, out double value, out string unit)
    {
        value = 0;
        unit = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        int split = NumberLength(span);
        if (split == 0) return false;
        if (!double.TryParse(span[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (!double.IsFinite(value)) return false;
        unit = span[split..].Trim().ToString();
        return unit.Length > 0;
    }

    /// <summary>Length of the leading number: sign, digits, point, and an exponent only when digits follow it.</summary>
    private static int NumberLength(ReadOnlySpan<char> span)
    {
        int i = 0;
        if (i < span.Length && span[i] is '+' or '-') i++;
        while (i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] == '.')) i++;
        if (i + 1 < span.Length && span[i] is 'e' or 'E')
        {
            int exponent = i + 1;
            if (span[exponent] is '+' or '-') exponent++;
            if (exponent < span.Length && char.IsAsciiDigit(span[exponent]))
            {
                i = exponent;
                while (i < span.Length && char.IsAsciiDigit(span[i])) i++;
            }
        }
        return i;
    }
}
