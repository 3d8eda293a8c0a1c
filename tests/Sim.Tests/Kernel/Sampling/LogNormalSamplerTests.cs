using ClusterNetPerf.Sim.Kernel.Sampling;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class LogNormalSamplerTests
{
    private readonly LogNormalSampler _sampler = new(median: 2_048, sigma: 0.8);

    [Fact]
    public void The_analytic_mean_is_the_textbook_formula()
    {
        Assert.Equal(2_048 * Math.Exp(0.32), _sampler.Mean, 9);
    }

    [Fact]
    public void Follows_the_lognormal_cdf() => SamplerAssert.FollowsCdf(_sampler, x => LogNormal.CDF(Math.Log(2_048), 0.8, x));

    [Fact]
    public void Can_be_given_by_its_mean()
    {
        var sampler = LogNormalSampler.FromMean(10_000, 1.2);
        Assert.Equal(10_000, sampler.Mean, 9);
        Assert.Equal(10_000 * Math.Exp(-0.72), sampler.Median, 9);
        Assert.Equal(1.2, sampler.Sigma);
        SamplerAssert.MeanMatches(sampler);
    }

    [Fact]
    public void Rejects_parameters_that_are_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => new LogNormalSampler(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>("median", () => new LogNormalSampler(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("mean", () => LogNormalSampler.FromMean(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("sigma", () => LogNormalSampler.FromMean(1, double.NaN));
    }
}
