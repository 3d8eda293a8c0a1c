using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// The exponential distribution, given by its mean: the inter-arrival time of a Poisson
/// process (connection arrivals from many independent clients) and the service time of M/M/c
/// models.
/// </summary>
public sealed class ExponentialSampler : Sampler
{
    private readonly double _mean;
    private readonly double _rate;

    /// <param name="mean">The mean (1 / rate); positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not positive and finite.</exception>
    public ExponentialSampler(double mean)
    {
        _mean = RequirePositive(mean);
        _rate = 1 / mean;
    }

    /// <summary>Draws by inversion (MathNet). O(1), no allocation.</summary>
    public override double Sample(System.Random random) => Exponential.Sample(random, _rate);

    public override double Mean => _mean;

    public override string Describe() => Invariant($"exponential(mean={_mean})");
}
