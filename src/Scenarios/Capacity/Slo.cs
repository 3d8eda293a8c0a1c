using System.Globalization;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// A service-level objective on one metric: <c>METRIC&lt;VALUE</c>, <c>&lt;=</c>, <c>&gt;</c> or <c>&gt;=</c>,
/// e.g. <c>setup_latency_p99_us&lt;5000</c> or <c>connections_failed_fraction&lt;0.01</c>.
/// </summary>
/// <param name="Metric">A name in <see cref="MetricCatalog"/>.</param>
/// <param name="Operator">The comparison as written.</param>
/// <param name="Threshold">The value the metric must stay on the right side of.</param>
public sealed record Slo(string Metric, string Operator, double Threshold)
{
    private static readonly string[] Operators = ["<=", ">=", "<", ">"];

    /// <summary>True when the metric must stay below the threshold, so the upper confidence bound is the unsafe side.</summary>
    public bool IsUpperLimit => Operator[0] == '<';

    /// <summary>Whether a value meets the objective.</summary>
    public bool IsMetBy(double value) => Operator switch
    {
        "<" => value < Threshold,
        "<=" => value <= Threshold,
        ">" => value > Threshold,
        _ => value >= Threshold,
    };

    /// <summary>How far a value is on the safe side of the threshold (negative when it breaks the SLO), in the metric's unit.</summary>
    public double MarginOf(double value) => IsUpperLimit ? Threshold - value : value - Threshold;

    /// <inheritdoc />
    public override string ToString() => $"{Metric}{Operator}{Threshold.ToString("R", CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>METRIC OP VALUE</c> (spaces allowed around the operator).</summary>
    /// <exception cref="ArgumentException">Bad syntax, an unknown metric or a value that is not a finite number, with a message saying which.</exception>
    public static Slo Parse(string text)
    {
        foreach (string op in Operators)
        {
            int at = text.IndexOf(op, StringComparison.Ordinal);
            if (at < 0) continue;
            string metric = text[..at].Trim();
            string value = text[(at + op.Length)..].Trim();
            if (metric.Length == 0 || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double threshold) || !double.IsFinite(threshold))
                break;
            if (!MetricCatalog.Contains(metric)) throw new ArgumentException($"--slo '{text}': {MetricCatalog.UnknownMessage(metric)}");
            return new Slo(metric, op, threshold);
        }
        throw new ArgumentException($"--slo '{text}': expected METRIC<VALUE (or <=, >, >=) with a number for VALUE, e.g. setup_latency_p99_us<5000");
    }
}
