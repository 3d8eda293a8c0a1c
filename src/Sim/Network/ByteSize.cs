using System.Globalization;
using ClusterNetPerf.Sim.Kernel;

namespace ClusterNetPerf.Sim.Network;

/// <summary>
/// An amount of data in bytes. Parses "1500B", "4KiB", "16KB", "4MiB", "1GB": binary prefixes
/// (KiB = 1,024 B) and decimal ones (KB = 1,000 B) are both accepted and mean what they say.
/// </summary>
public readonly record struct ByteSize(long Bytes) : IComparable<ByteSize>
{
    public static ByteSize FromKibibytes(double value) => new((long)Math.Round(value * 1024));
    public static ByteSize FromMebibytes(double value) => new((long)Math.Round(value * 1024 * 1024));

    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    /// <summary>Parses a size with a unit; a bare number is rejected.</summary>
    /// <exception cref="FormatException">Not a non-negative number followed by a known unit.</exception>
    public static ByteSize Parse(string text) =>
        TryParse(text, out ByteSize size, out string? error) ? size : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out ByteSize size, out string? error)
    {
        size = default;
        if (!UnitText.TrySplit(text, out double value, out string unit))
        {
            error = $"'{text}' is not a size: expected a number and a unit (B, KB, KiB, MB, MiB, GB, GiB), e.g. 4MiB";
            return false;
        }
        double? scale = unit switch
        {
            "B" => 1,
            "KB" or "kB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "KiB" => 1024,
            "MiB" => 1024.0 * 1024,
            "GiB" => 1024.0 * 1024 * 1024,
            _ => null,
        };
        if (scale is null)
        {
            error = $"'{text}' has unknown size unit '{unit}': expected B, KB, KiB, MB, MiB, GB or GiB";
            return false;
        }
        if (value < 0)
        {
            error = $"'{text}' is negative: a size must be zero or more";
            return false;
        }
        double bytes = Math.Round(value * scale.Value);
        if (bytes >= 9.2233720368547758E18)
        {
            error = $"'{text}' is too large: a size must fit in 2^63 bytes";
            return false;
        }
        size = new ByteSize((long)bytes);
        error = null;
        return true;
    }

    /// <summary>Formats with the largest binary unit that keeps the value exact.</summary>
    public override string ToString()
    {
        if (Bytes != 0 && Bytes % (1L << 30) == 0) return string.Create(CultureInfo.InvariantCulture, $"{Bytes >> 30}GiB");
        if (Bytes != 0 && Bytes % (1L << 20) == 0) return string.Create(CultureInfo.InvariantCulture, $"{Bytes >> 20}MiB");
        if (Bytes != 0 && Bytes % (1L << 10) == 0) return string.Create(CultureInfo.InvariantCulture, $"{Bytes >> 10}KiB");
        return string.Create(CultureInfo.InvariantCulture, $"{Bytes}B");
    }
}
