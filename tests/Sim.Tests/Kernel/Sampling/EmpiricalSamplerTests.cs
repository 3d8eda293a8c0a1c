using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

public sealed class EmpiricalSamplerTests
{
    // A flow-size CDF in the style of the published data-centre traces: 30 % of flows are
    // exactly 100 bytes, the rest spread over four decades.
    private static readonly (double, double)[] FlowSizes =
        [(100, 0.3), (1_000, 0.5), (10_000, 0.8), (100_000, 0.95), (1_000_000, 1)];

    private readonly EmpiricalSampler _sampler = new(FlowSizes);

    [Fact]
    public void Follows_its_own_cdf() => SamplerAssert.FollowsCdf(_sampler, _sampler.Cdf);

    [Fact]
    public void Sample_mean_matches_the_analytic_mean()
    {
        // 0.3·100 + 0.2·550 + 0.3·5,500 + 0.15·55,000 + 0.05·550,000.
        Assert.Equal(30 + 110 + 1_650 + 8_250 + 27_500, _sampler.Mean, 9);
        SamplerAssert.MeanMatches(_sampler);
    }

    [Theory]
    [InlineData(100.0, 0.3)]
    [InlineData(550.0, 0.4)]
    [InlineData(1_000.0, 0.5)]
    [InlineData(70_000.0, 0.9)]
    [InlineData(999_982.0, 0.999999)]
    public void Cdf_and_its_inverse_are_linear_between_points(double x, double p)
    {
        Assert.Equal(p, _sampler.Cdf(x), 12);
        Assert.Equal(x, _sampler.InverseCdf(p), 6);
    }

    [Fact]
    public void The_first_point_is_an_atom_and_the_cdf_is_flat_outside_the_points()
    {
        Assert.Equal(100, _sampler.InverseCdf(0));
        Assert.Equal(100, _sampler.InverseCdf(0.29));
        Assert.Equal(0, _sampler.Cdf(99.9));
        Assert.Equal(1, _sampler.Cdf(2_000_000));
    }

    [Fact]
    public void A_repeated_value_is_a_step_and_a_flat_segment_is_never_drawn()
    {
        var sampler = new EmpiricalSampler([(0, 0), (10, 0.5), (10, 0.75), (20, 0.75), (30, 1)]);
        Assert.Equal(10, sampler.InverseCdf(0.6));
        Assert.Equal(20, sampler.InverseCdf(0.75));
        Assert.Equal(0.75, sampler.Cdf(15));
        SamplerAssert.FollowsCdf(sampler, sampler.Cdf);
    }

    [Fact]
    public void A_last_probability_with_rounding_error_is_accepted() =>
        Assert.Equal(2, new EmpiricalSampler([(1, 0.1 + 0.2), (2, 0.1 + 0.2 + 0.7)]).InverseCdf(0.9999999), 5);

    [Theory]
    [InlineData("decreasing value", "values must not decrease")]
    [InlineData("decreasing probability", "a CDF must not decrease")]
    [InlineData("probability above one", "not within [0, 1]")]
    [InlineData("does not reach one", "it must be 1")]
    [InlineData("infinite value", "not finite")]
    [InlineData("no points", "at least one point")]
    public void Rejects_a_malformed_cdf_saying_why(string fault, string reason)
    {
        (double, double)[] points = fault switch
        {
            "decreasing value" => [(5, 0.5), (4, 1)],
            "decreasing probability" => [(1, 0.6), (2, 0.5), (3, 1)],
            "probability above one" => [(1, 0.5), (2, 1.5)],
            "does not reach one" => [(1, 0.5), (2, 0.9)],
            "infinite value" => [(1, 0.5), (double.PositiveInfinity, 1)],
            _ => [],
        };
        var error = Assert.Throws<ArgumentException>("points", () => new EmpiricalSampler(points));
        Assert.Contains(reason, error.Message);
    }
}
