using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// The log-normal distribution: ln X is normal with mean μ and standard deviation σ. Request
/// and response sizes and service times of real systems are often close to it.
/// </summary>
/// <remarks>
/// Parameterised by the median e^μ and σ, because a median ("half of responses are under
/// 2 KiB") is what measurements usually report and it does not move when σ does. When the
/// mean is what is known, use <see cref="FromMean"/>.
/// </remarks>
public sealed class LogNormalSampler : Sampler
{
    private readonly double _mu;
    private readonly double _sigma;

    /// <param name="median">The median, e^μ; positive and finite.</param>
    /// <param name="sigma">σ, the standard deviation of ln X; positive and finite (for σ = 0 use <see cref="DeterministicSampler"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive and finite.</exception>
    public LogNormalSampler(double median, double sigma)
    {
        _mu = Math.Log(RequirePositive(median));
        _sigma = RequirePositive(sigma);
    }

    /// <summary>
    /// The log-normal with the given mean and σ: median = mean · e^(−σ²/2), since the mean is
    /// e^(μ + σ²/2).
    /// </summary>
    /// <param name="mean">The mean; positive and finite.</param>
    /// <param name="sigma">σ, the standard deviation of ln X; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive and finite.</exception>
    public static LogNormalSampler FromMean(double mean, double sigma) =>
        new(RequirePositive(mean) * Math.Exp(-RequirePositive(sigma) * sigma / 2), sigma);

    /// <summary>The median, e^μ.</summary>
    public double Median => Math.Exp(_mu);

    /// <summary>σ, the standard deviation of ln X.</summary>
    public double Sigma => _sigma;

    /// <summary>Draws with MathNet (a polar Box–Muller normal, exponentiated). O(1) expected, no allocation.</summary>
    public override double Sample(System.Random random) => LogNormal.Sample(random, _mu, _sigma);

    /// <summary>e^(μ + σ²/2).</summary>
    public override double Mean => Math.Exp(_mu + _sigma * _sigma / 2);

    public override string Describe() => Invariant($"lognormal(median={Median}, sigma={_sigma})");
}
