namespace ClusterNetPerf.Scenarios.Validation;

/// <summary>One published figure against the model's.</summary>
/// <param name="What">The figure, in words.</param>
/// <param name="Source">Where it is published: URL, repository path and release, or issue.</param>
/// <param name="Published">The published value.</param>
/// <param name="Simulated">The model's value: a closed-form read, or the mean over replications.</param>
/// <param name="HalfWidth">The 95 % confidence half-width of <paramref name="Simulated"/> over replications; 0 for a closed form.</param>
/// <param name="Tolerance">The largest relative difference |simulated − published| / published that counts as agreement.</param>
/// <param name="KnownDisagreement">True when the model is known to differ here, for the reason in <paramref name="Note"/>.</param>
/// <param name="Note">How the model's figure is obtained and, where they disagree, why.</param>
public sealed record ValidationRow(string What, string Source, double Published, double Simulated, double HalfWidth,
    double Tolerance, bool KnownDisagreement, string Note)
{
    /// <summary>Simulated ÷ published.</summary>
    public double Ratio => Simulated / Published;

    /// <summary>Agrees when within <see cref="Tolerance"/>; otherwise explained or not.</summary>
    public ValidationVerdict Verdict =>
        Math.Abs(Simulated - Published) <= Tolerance * Math.Abs(Published) ? ValidationVerdict.Agrees
        : KnownDisagreement ? ValidationVerdict.ExplainedDisagreement
        : ValidationVerdict.Disagrees;
}
