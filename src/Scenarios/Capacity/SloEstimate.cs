using ClusterNetPerf.Scenarios.Output;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>
/// One SLO at one point: the metric's mean over replications, its 95% confidence half-width, the bound
/// on the unsafe side (mean + half-width for an upper limit, mean − half-width for a lower one), and
/// the verdict: met when the bound meets the SLO, broken when even the safe-side bound breaks it,
/// undecided (the interval straddles the threshold) otherwise.
/// </summary>
public sealed record SloEstimate(Slo Slo, double Mean, double Ci95)
{
    /// <summary>The interval's end on the side where the SLO breaks.</summary>
    public double UnsafeBound => Slo.IsUpperLimit ? Mean + HalfWidth : Mean - HalfWidth;

    /// <summary>The interval's end on the side where the SLO holds.</summary>
    public double SafeBound => Slo.IsUpperLimit ? Mean - HalfWidth : Mean + HalfWidth;

    /// <summary>The unsafe bound meets the SLO.</summary>
    public bool Met => Slo.IsMetBy(UnsafeBound);

    /// <summary>Even the safe bound breaks the SLO.</summary>
    public bool Broken => !Slo.IsMetBy(SafeBound);

    /// <summary>The interval straddles the threshold: more replications may decide it.</summary>
    public bool Undecided => !Met && !Broken;

    /// <summary>Margin of the unsafe bound (negative when the SLO is not met).</summary>
    public double Margin => Slo.MarginOf(UnsafeBound);

    /// <summary>A zero half-width when replications agree exactly (or there is one); never NaN.</summary>
    private double HalfWidth => double.IsFinite(Ci95) ? Ci95 : 0;

    /// <summary>The estimate of <paramref name="slo"/> from per-replication values.</summary>
    public static SloEstimate Of(Slo slo, IReadOnlyList<double> values)
    {
        (double mean, double ci95) = ReplicationSummary.Of(values);
        return new SloEstimate(slo, mean, ci95);
    }
}
