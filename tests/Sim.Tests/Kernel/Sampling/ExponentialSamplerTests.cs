using ClusterNetPerf.Sim.Kernel.Sampling;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class ExponentialSamplerTests
{
    private readonly ExponentialSampler _sampler = new(2.5);

    [Fact]
    public void Follows_the_exponential_cdf() => SamplerAssert.FollowsCdf(_sampler, x => Exponential.CDF(1 / 2.5, x));

    [Fact]
    public void Describes_itself_in_invariant_culture()
    {
        Assert.Equal(2.5, _sampler.Mean);
        Assert.Equal("exponential(mean=2.5)", _sampler.Describe());
        Assert.Equal(_sampler.Describe(), _sampler.ToString());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_a_mean_that_is_not_positive(double mean)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>("mean", () => new ExponentialSampler(mean));
        Assert.Contains("positive", error.Message);
    }
}
