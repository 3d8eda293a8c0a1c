using System.Globalization;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// The values of one scenario path a headroom search may try: a grid from <see cref="Low"/> in steps of
/// <see cref="Resolution"/> up to <see cref="High"/> (the last step may be shorter, so High is on it).
/// </summary>
public sealed record AxisRange(double Low, double High, double Resolution)
{
    /// <summary>Grids longer than this are a mistake (a resolution far too fine), not a search.</summary>
    public const int MaxSteps = 1_000_000;

    /// <summary>The highest grid index; index <see cref="LastIndex"/> is <see cref="High"/>.</summary>
    public int LastIndex => (int)Math.Ceiling((High - Low) / Resolution - 1e-9);

    /// <summary>Whether every grid value is an integer (counts: Services, nodes).</summary>
    public bool IsIntegral => IsWhole(Low) && IsWhole(High) && IsWhole(Resolution);

    /// <summary>The value at grid index <paramref name="index"/>.</summary>
    public double ValueAt(int index) => index >= LastIndex ? High : Low + index * Resolution;

    /// <summary>The value as scenario text (integers without a decimal point).</summary>
    public string TextAt(int index) => ValueAt(index).ToString(IsIntegral ? "0" : "R", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>LO..HI</c> and a resolution (null: a hundredth of the range, whole for integer ranges).</summary>
    /// <exception cref="ArgumentException">Bad syntax, an empty range (HI not above LO) or a resolution that is not positive.</exception>
    public static AxisRange Parse(string text, double? resolution)
    {
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots <= 0
            || !double.TryParse(text[..dots], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            || !double.TryParse(text[(dots + 2)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"--range '{text}': expected LO..HI with two numbers, e.g. 100..20000");
        if (high <= low) throw new ArgumentException($"--range '{text}': the range is empty; expected HI greater than LO");
        double step = resolution ?? DefaultResolution(low, high);
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentException($"--resolution {step.ToString(CultureInfo.InvariantCulture)}: expected a positive number");
        if ((high - low) / step > MaxSteps)
            throw new ArgumentException($"--resolution {step.ToString(CultureInfo.InvariantCulture)}: more than {MaxSteps:N0} steps over {text}; expected a coarser resolution");
        return new AxisRange(low, high, step);
    }

    private static double DefaultResolution(double low, double high)
    {
        double step = (high - low) / 100;
        return IsWhole(low) && IsWhole(high) ? Math.Max(1, Math.Round(step)) : step;
    }

    private static bool IsWhole(double value) => Math.Abs(value - Math.Round(value)) < 1e-9;
}
