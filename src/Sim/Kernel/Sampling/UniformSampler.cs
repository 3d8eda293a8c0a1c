using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>The continuous uniform distribution on [min, max): e.g. a jittered timer.</summary>
public sealed class UniformSampler : Sampler
{
    private readonly double _min;
    private readonly double _max;

    /// <param name="min">The lower bound (inclusive); finite.</param>
    /// <param name="max">The upper bound (exclusive); finite and greater than <paramref name="min"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or max ≤ min.</exception>
    public UniformSampler(double min, double max)
    {
        _min = RequireFinite(min);
        _max = RequireFinite(max);
        RequireOrdered(min, max, nameof(min), nameof(max));
    }

    /// <summary>Draws with MathNet. O(1), no allocation.</summary>
    public override double Sample(System.Random random) => ContinuousUniform.Sample(random, _min, _max);

    /// <summary>(min + max) / 2.</summary>
    public override double Mean => (_min + _max) / 2;

    public override string Describe() => Invariant($"uniform(min={_min}, max={_max})");
}
