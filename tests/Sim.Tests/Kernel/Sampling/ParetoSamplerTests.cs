using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class ParetoSamplerTests
{
    // Shape 3: the variance is finite, so the sample mean's interval is meaningful.
    private readonly ParetoSampler _sampler = new(scale: 100, shape: 3);

    [Fact]
    public void The_analytic_mean_is_the_textbook_formula()
    {
        Assert.Equal(150, _sampler.Mean, 12);
    }

    [Fact]
    public void Follows_the_pareto_cdf() =>
        SamplerAssert.FollowsCdf(_sampler, x => x < 100 ? 0 : 1 - Math.Pow(100 / x, 3));

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Has_an_infinite_mean_when_the_tail_is_too_heavy(double shape) =>
        Assert.Equal(double.PositiveInfinity, new ParetoSampler(1, shape).Mean);

    [Fact]
    public void A_generator_returning_zero_gives_the_scale_not_infinity() =>
        Assert.Equal(100, _sampler.Sample(new ConstantRandom(0)));

    [Fact]
    public void Rejects_parameters_that_are_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>("scale", () => new ParetoSampler(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>("shape", () => new ParetoSampler(1, -2));
    }
}
