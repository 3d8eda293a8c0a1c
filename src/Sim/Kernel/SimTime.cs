using System.Globalization;

namespace ClusterNetPerf.Sim.Kernel;

/// <summary>
/// A point in, or span of, simulated time: a signed 64-bit count of nanoseconds
/// (range ±292 years). Integer time makes event order exact and runs reproducible; there is
/// no rounding drift as there would be with <see cref="double"/> seconds.
/// </summary>
public readonly record struct SimTime(long Nanoseconds) : IComparable<SimTime>
{
    private const long NanosPerMicrosecond = 1_000;
    private const long NanosPerMillisecond = 1_000_000;
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Time zero, the start of every run.</summary>
    public static readonly SimTime Zero = new(0);

    /// <summary>The largest representable time; used as "never".</summary>
    public static readonly SimTime MaxValue = new(long.MaxValue);

    /// <summary>The time in seconds, for reporting only (never for scheduling).</summary>
    public double TotalSeconds => Nanoseconds / (double)NanosPerSecond;

    /// <summary>The time in milliseconds, for reporting only.</summary>
    public double TotalMilliseconds => Nanoseconds / (double)NanosPerMillisecond;

    /// <summary>The time in microseconds, for reporting only.</summary>
    public double TotalMicroseconds => Nanoseconds / (double)NanosPerMicrosecond;

    public static SimTime FromNanoseconds(long nanoseconds) => new(nanoseconds);
    public static SimTime FromMicroseconds(double microseconds) => FromScaled(microseconds, NanosPerMicrosecond);
    public static SimTime FromMilliseconds(double milliseconds) => FromScaled(milliseconds, NanosPerMillisecond);
    public static SimTime FromSeconds(double seconds) => FromScaled(seconds, NanosPerSecond);

    private static SimTime FromScaled(double value, long nanosPerUnit) => TryScale(value, nanosPerUnit, out SimTime time)
        ? time
        : throw new OverflowException($"{value} × {nanosPerUnit} ns does not fit in simulated time.");

    /// <summary><paramref name="value"/> units of <paramref name="nanosPerUnit"/> ns, rounded; false when it does not fit in a <see cref="long"/>.</summary>
    private static bool TryScale(double value, long nanosPerUnit, out SimTime time)
    {
        double nanoseconds = Math.Round(value * nanosPerUnit);
        // 2^63 is exactly representable as a double, so this comparison rejects everything a long cannot hold.
        bool fits = nanoseconds >= long.MinValue && nanoseconds < 9.2233720368547758E18;
        time = fits ? new SimTime((long)nanoseconds) : Zero;
        return fits;
    }

    public static SimTime operator +(SimTime a, SimTime b) => new(a.Nanoseconds + b.Nanoseconds);
    public static SimTime operator -(SimTime a, SimTime b) => new(a.Nanoseconds - b.Nanoseconds);
    public static SimTime operator *(SimTime a, long factor) => new(a.Nanoseconds * factor);
    public static bool operator <(SimTime a, SimTime b) => a.Nanoseconds < b.Nanoseconds;
    public static bool operator >(SimTime a, SimTime b) => a.Nanoseconds > b.Nanoseconds;
    public static bool operator <=(SimTime a, SimTime b) => a.Nanoseconds <= b.Nanoseconds;
    public static bool operator >=(SimTime a, SimTime b) => a.Nanoseconds >= b.Nanoseconds;

    public static SimTime Max(SimTime a, SimTime b) => a.Nanoseconds >= b.Nanoseconds ? a : b;
    public static SimTime Min(SimTime a, SimTime b) => a.Nanoseconds <= b.Nanoseconds ? a : b;

    public int CompareTo(SimTime other) => Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>
    /// Parses a duration with a unit: <c>ns</c>, <c>us</c> (or <c>µs</c>), <c>ms</c>, <c>s</c>,
    /// <c>m</c>, <c>h</c>; e.g. "250us", "1.5ms", "60s". A number without a unit is rejected,
    /// because a bare "5" in a scenario file is a mistake waiting to happen.
    /// </summary>
    /// <exception cref="FormatException">The text is not a number followed by a known unit.</exception>
    public static SimTime Parse(string text) =>
        TryParse(text, out SimTime time, out string? error) ? time : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out SimTime time, out string? error)
    {
        time = Zero;
        if (!UnitText.TrySplit(text, out double value, out string unit))
        {
            error = $"'{text}' is not a duration: expected a number and a unit (ns, us, ms, s, m, h), e.g. 250us";
            return false;
        }
        long? scale = unit switch
        {
            "ns" => 1,
            "us" or "µs" => NanosPerMicrosecond,
            "ms" => NanosPerMillisecond,
            "s" => NanosPerSecond,
            "m" or "min" => 60 * NanosPerSecond,
            "h" => 3600 * NanosPerSecond,
            _ => null,
        };
        if (scale is null)
        {
            error = $"'{text}' has unknown time unit '{unit}': expected ns, us, ms, s, m or h";
            return false;
        }
        if (!TryScale(value, scale.Value, out time))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"'{text}' does not fit in simulated time (at most {MaxValue.TotalSeconds / 3600:0} h)");
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Formats with the largest unit that keeps the value exact, e.g. "250us", "1.5ms".</summary>
    public override string ToString()
    {
        long ns = Nanoseconds;
        if (ns == 0) return "0s";
        if (ns % NanosPerSecond == 0) return string.Create(CultureInfo.InvariantCulture, $"{ns / NanosPerSecond}s");
        if (Math.Abs(ns) >= NanosPerSecond) return string.Create(CultureInfo.InvariantCulture, $"{TotalSeconds:0.#########}s");
        if (Math.Abs(ns) >= NanosPerMillisecond) return string.Create(CultureInfo.InvariantCulture, $"{TotalMilliseconds:0.######}ms");
        if (Math.Abs(ns) >= NanosPerMicrosecond) return string.Create(CultureInfo.InvariantCulture, $"{TotalMicroseconds:0.###}us");
        return string.Create(CultureInfo.InvariantCulture, $"{ns}ns");
    }
}
