namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>One published figure against the model's.</summary>
/// <param name="What">The figure, in words.</param>
/// <param name="Source">Where it is published: URL, repository path and release, or issue.</param>
/// <param name="Published">The published value (with <see cref="UpperBound"/>, the bound the model must not pass).</param>
/// <param name="Simulated">The model's value: a closed-form read, or the mean over replications.</param>
/// <param name="HalfWidth">The 95 % confidence half-width of <paramref name="Simulated"/> over replications; 0 for a closed form.</param>
/// <param name="Tolerance">The largest relative difference |simulated − published| / published that counts as agreement.</param>
/// <param name="KnownDisagreement">True when the model is known to differ here, for the reason in <paramref name="Note"/>.</param>
/// <param name="Note">How the model's figure is obtained and, where they disagree, why.</param>
public sealed record ValidationRow(string What, string Source, double Published, double Simulated, double HalfWidth,
    double Tolerance, bool KnownDisagreement, string Note)
{
    /// <summary>
    /// A bound, not a value: the source says the figure is below <see cref="Published"/> ("nftables p99 below iptables
    /// p01", "under the 30 s SLO"), so the row agrees when the simulated mean plus its half-width is at most the bound.
    /// </summary>
    public bool UpperBound { get; init; }

    /// <summary>The base name of the chart in results/validation/ that shows this row (empty: none).</summary>
    public string Chart { get; init; } = "";

    /// <summary>Simulated ÷ published.</summary>
    public double Ratio => Simulated / Published;

    /// <summary>Within <see cref="Tolerance"/> (or under the bound); otherwise explained or not.</summary>
    public ValidationVerdict Verdict =>
        (UpperBound ? Simulated + HalfWidth <= Published : Math.Abs(Simulated - Published) <= Tolerance * Math.Abs(Published)) ? ValidationVerdict.Agrees
        : KnownDisagreement ? ValidationVerdict.ExplainedDisagreement
        : ValidationVerdict.Disagrees;
}
