using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// The mean of one metric over independent replications (runs with independent seeds) and the
/// half-width of its Student-t confidence interval: mean ± t(1 − α/2, n − 1) · s / √n, where s
/// is the sample standard deviation. These are the <c>&lt;metric&gt;_mean</c> and
/// <c>&lt;metric&gt;_ci95</c> columns of <c>summary.csv</c>.
/// </summary>
/// <remarks>
/// Streaming (Welford, through MathNet's <see cref="RunningStatistics"/>): <see cref="Add"/> is
/// O(1) and nothing is stored per replication. The interval assumes the replication results
/// are independent and roughly normal, which holds for means of long runs. With fewer than two
/// replications there is no estimate of spread and the half-width is NaN, never 0: a single run
/// must not look exact. A NaN result (e.g. the p99 of a run that measured nothing) makes the
/// mean and half-width NaN too, so the gap shows in the output instead of being averaged away.
/// </remarks>
public sealed class ReplicationSummary
{
    /// <summary>The confidence level of <c>summary.csv</c>.</summary>
    public const double DefaultConfidence = 0.95;

    private readonly RunningStatistics _statistics = new();

    /// <summary>Adds the result of one replication. O(1).</summary>
    public void Add(double value) => _statistics.Push(value);

    /// <summary>The number of replications added.</summary>
    public long Count => _statistics.Count;

    /// <summary>The mean over replications; NaN when none were added.</summary>
    public double Mean => Count == 0 ? double.NaN : _statistics.Mean;

    /// <summary>The sample standard deviation (divisor n − 1); NaN with fewer than two replications.</summary>
    public double StandardDeviation => Count < 2 ? double.NaN : _statistics.StandardDeviation;

    /// <summary>
    /// The half-width of the two-sided Student-t confidence interval of the mean, in the unit of
    /// the values; NaN with fewer than two replications. O(1) (one t quantile).
    /// </summary>
    /// <param name="confidence">The confidence level, strictly between 0 and 1; 0.95 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public double HalfWidth(double confidence = DefaultConfidence)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "A confidence level must be strictly between 0 and 1.");
        if (Count < 2)
            return double.NaN;
        double t = StudentT.InvCDF(0, 1, Count - 1, 1 - (1 - confidence) / 2);
        return t * StandardDeviation / Math.Sqrt(Count);
    }

    /// <summary>
    /// The mean and 95 % confidence half-width of <paramref name="replications"/>, one value per
    /// replication. O(n). The half-width is NaN for fewer than two values, the mean NaN for none.
    /// </summary>
    public static (double mean, double halfWidth) Of(IReadOnlyList<double> replications)
    {
        ArgumentNullException.ThrowIfNull(replications);
        var summary = new ReplicationSummary();
        for (int i = 0; i < replications.Count; i++)
            summary.Add(replications[i]);
        return (summary.Mean, summary.HalfWidth());
    }
}
