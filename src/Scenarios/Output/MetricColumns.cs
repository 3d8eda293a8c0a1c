using System.Globalization;
using System.Reflection;
using System.Text;
using ClusterNetPerf.Sim.Measurement;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>
/// The metric columns of points.csv: the properties of <see cref="RunMetrics"/> in declaration order,
/// named in snake_case (<c>SetupLatencyP99Us</c> → <c>setup_latency_p99_us</c>). Doubles are written in
/// round-trip form so that reading a CSV back (merge) gives the very same numbers.
/// </summary>
internal static class MetricColumns
{
    private static readonly PropertyInfo[] Properties =
        [.. typeof(RunMetrics).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType == typeof(long) || property.PropertyType == typeof(double))
            .OrderBy(property => property.MetadataToken)];

    public static IReadOnlyList<string> Names { get; } = [.. Properties.Select(property => SnakeCase(property.Name))];

    public static int Count => Properties.Length;

    /// <summary>The metric's value as a double (counts included), for statistics and charts.</summary>
    public static double Value(RunMetrics metrics, int column) => Convert.ToDouble(Properties[column].GetValue(metrics), CultureInfo.InvariantCulture);

    public static string Format(RunMetrics metrics, int column) => Properties[column].GetValue(metrics) switch
    {
        long count => count.ToString(CultureInfo.InvariantCulture),
        double value => FormatDouble(value),
        var other => throw new InvalidOperationException($"unexpected metric type {other?.GetType()}"),
    };

    /// <summary>Invariant round-trip text; NaN (an undefined statistic) is an empty field.</summary>
    public static string FormatDouble(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Rebuilds metrics from their column texts (an empty double is NaN, as written); false when a text does not parse.</summary>
    public static bool TryParse(IReadOnlyList<string> texts, out RunMetrics metrics)
    {
        metrics = new RunMetrics();
        for (int i = 0; i < Properties.Length; i++)
        {
            object? value = Properties[i].PropertyType == typeof(long)
                ? long.TryParse(texts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long count) ? count : null
                : texts[i].Length == 0 ? double.NaN
                : double.TryParse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double real) ? real : null;
            if (value is null) return false;
            Properties[i].SetValue(metrics, value);
        }
        return true;
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
