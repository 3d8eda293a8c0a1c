using System.Globalization;
using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Scenarios.Validation.Comparisons;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>
/// The model against published figures (issue 12): closed-form reads of the library's options, rule counts and sync
/// costs, small seeded simulations of its components (a NAT gateway, a conntrack table, a node's first-packet work) and
/// small seeded cluster runs (network programming, CoreDNS), replicated for a 95 % interval. Every run is seeded, so the
/// rows and charts are the same on every call.
/// </summary>
public static class ValidationSuite
{
    /// <summary>Replications behind each simulated row of a component run.</summary>
    public const int Replications = 10;

    /// <summary>Replications behind each row from a whole-cluster run (costlier; CI runs the suite).</summary>
    public const int ClusterReplications = 5;

    internal const ulong FirstSeed = 12_000;

    /// <summary>Every comparison, in a fixed order, with its chart.</summary>
    public static ValidationResult Run() => ValidationResult.Of(
    [
        .. RuleCountComparisons.Groups(),
        .. ConntrackComparisons.Groups(),
        .. NatComparisons.Groups(),
        MapSizeComparisons.Group(),
        .. DnsAndOverlayComparisons.Groups(),
        .. KubeProxyCpuComparisons.Groups(),
        .. RuleProgrammingComparisons.Groups(),
        QueueingComparisons.Group(),
    ]);

    internal static ValidationRow Exact(string what, string source, double published, double simulated, string note) =>
        new(what, source, published, simulated, 0, 0, false, note);

    /// <summary>Runs <paramref name="replication"/> with seeds FirstSeed, FirstSeed + 1, …; the mean and 95 % half-width.</summary>
    internal static (double Mean, double HalfWidth) Replicate(Func<ulong, double> replication, int replications = Replications)
    {
        var values = new double[replications];
        for (int r = 0; r < replications; r++) values[r] = replication(FirstSeed + (ulong)r);
        return ReplicationSummary.Of(values);
    }

    /// <summary>A chart x value as the CSV would write it (invariant, round-trip).</summary>
    internal static string X(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A line or set of points; <paramref name="points"/> hold x, mean and 95 % half-width (0 for closed forms).</summary>
    internal static ChartSeries Series(string name, IEnumerable<(double X, double Mean, double HalfWidth)> points) =>
        new(name, [.. points.Select(point => (X(point.X), point.Mean, point.HalfWidth))]);

    /// <summary>Points on a categorical axis.</summary>
    internal static ChartSeries Categories(string name, IEnumerable<(string X, double Mean, double HalfWidth)> points) =>
        new(name, [.. points.Select(point => (point.X, point.Mean, point.HalfWidth))]);
}
