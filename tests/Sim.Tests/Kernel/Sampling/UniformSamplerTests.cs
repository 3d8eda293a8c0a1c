using ClusterNetPerf.Sim.Kernel.Sampling;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class UniformSamplerTests
{
    private readonly UniformSampler _sampler = new(-3, 5);

    [Fact]
    public void The_analytic_mean_is_the_middle_of_the_range() => Assert.Equal(1, _sampler.Mean);

    [Fact]
    public void Follows_the_uniform_cdf() => SamplerAssert.FollowsCdf(_sampler, x => ContinuousUniform.CDF(-3, 5, x));

    [Fact]
    public void Stays_within_its_bounds()
    {
        var random = SamplerAssert.Stream("bounds");
        for (int i = 0; i < 10_000; i++)
            Assert.InRange(_sampler.Sample(random), -3, 5);
    }

    [Fact]
    public void Rejects_bounds_out_of_order()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>("max", () => new UniformSampler(2, 2));
        Assert.Contains("greater than min", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>("min", () => new UniformSampler(double.NegativeInfinity, 2));
    }
}
