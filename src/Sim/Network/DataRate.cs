using System.Globalization;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// A data rate in bits per second. Parses "25Gbps", "100Mbps", "1.5Gbit/s" (decimal
/// prefixes, as link speeds are quoted).
/// </summary>
public readonly record struct DataRate(double BitsPerSecond) : IComparable<DataRate>
{
    public static DataRate FromGigabitsPerSecond(double gbps) => new(gbps * 1e9);

    /// <summary>The time to put <paramref name="bytes"/> on the wire at this rate, rounded up to whole nanoseconds.</summary>
    public SimTime TransmissionTime(long bytes) => new((long)Math.Ceiling(bytes * 8e9 / BitsPerSecond));

    public int CompareTo(DataRate other) => BitsPerSecond.CompareTo(other.BitsPerSecond);

    /// <summary>Parses a rate with a unit; a bare number is rejected.</summary>
    /// <exception cref="FormatException">Not a positive number followed by a known unit.</exception>
    public static DataRate Parse(string text) =>
        TryParse(text, out DataRate rate, out string? error) ? rate : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out DataRate rate, out string? error)
    {
        rate = default;
        if (!UnitText.TrySplit(text, out double value, out string unit))
        {
            error = $"'{text}' is not a data rate: expected a number and a unit (bps, Kbps, Mbps, Gbps, Tbps), e.g. 25Gbps";
            return false;
        }
        double? scale = unit.Replace("bit/s", "bps", StringComparison.Ordinal) switch
        {
            "bps" => 1,
            "Kbps" or "kbps" => 1e3,
            "Mbps" => 1e6,
            "Gbps" => 1e9,
            "Tbps" => 1e12,
            _ => null,
        };
        if (scale is null)
        {
            error = $"'{text}' has unknown rate unit '{unit}': expected bps, Kbps, Mbps, Gbps or Tbps";
            return false;
        }
        if (value <= 0)
        {
            error = $"'{text}' is not positive: a data rate must be greater than zero";
            return false;
        }
        rate = new DataRate(value * scale.Value);
        error = null;
        return true;
    }

    /// <summary>Formats in the largest decimal unit, e.g. "25Gbps".</summary>
    public override string ToString()
    {
        (double divisor, string unit) = BitsPerSecond switch
        {
            >= 1e12 => (1e12, "Tbps"),
            >= 1e9 => (1e9, "Gbps"),
            >= 1e6 => (1e6, "Mbps"),
            >= 1e3 => (1e3, "Kbps"),
            _ => (1.0, "bps"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{BitsPerSecond / divisor:0.###}{unit}");
    }
}
