using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class BoundedParetoSamplerTests
{
    private readonly BoundedParetoSampler _sampler = new(min: 1_000, max: 10_000_000, shape: 1.2);

    [Fact]
    public void Sample_mean_matches_the_analytic_mean_at_shape_one()
    {
        var sampler = new BoundedParetoSampler(1, 1_000, 1);
        // L·ln(H/L) / (1 − L/H) = ln 1000 / 0.999.
        Assert.Equal(Math.Log(1_000) / 0.999, sampler.Mean, 12);
        SamplerAssert.MeanMatches(sampler);
    }

    [Fact]
    public void Follows_the_truncated_pareto_cdf()
    {
        // The untruncated Pareto's CDF, renormalised to [min, max].
        double Untruncated(double x) => 1 - Math.Pow(1_000 / x, 1.2);
        SamplerAssert.FollowsCdf(_sampler, x => Math.Clamp(Untruncated(Math.Max(x, 1_000)) / Untruncated(10_000_000), 0, 1));
        Assert.Equal(Untruncated(5_000) / Untruncated(10_000_000), _sampler.Cdf(5_000), 12);
    }

    [Theory]
    [InlineData(0.0, 1_000.0)]
    [InlineData(0.9999999999999999, 10_000_000.0)]
    public void Reaches_its_bounds_at_the_ends_of_the_unit_interval(double uniform, double expected) =>
        Assert.Equal(expected, _sampler.Sample(new ConstantRandom(uniform)), expected * 1e-6);

    [Fact]
    public void Rejects_bad_bounds_and_shape()
    {
        Assert.Throws<ArgumentOutOfRangeException>("max", () => new BoundedParetoSampler(10, 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>("min", () => new BoundedParetoSampler(0, 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>("shape", () => new BoundedParetoSampler(1, 10, 0));
    }
}
