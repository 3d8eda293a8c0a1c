using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Tests.Statistics;

public sealed class ReplicationSummaryTests
{
    [Fact]
    public void Matches_the_hand_computed_interval_of_one_to_five()
    {
        // s = 1.5811388, t(0.975, 4) = 2.7764451 (R: qt(0.975, 4)); 2.7764451 × 1.5811388 / √5.
        var (mean, halfWidth) = ReplicationSummary.Of([1, 2, 3, 4, 5]);
        Assert.Equal(3, mean, 12);
        Assert.Equal(1.963243, halfWidth, 6);
    }

    [Fact]
    public void Matches_R_for_an_uneven_sample_and_other_confidence_levels()
    {
        // R: x <- c(10.2, 9.7, 11.5, 10.9, 10.1, 9.4); t.test(x)$conf.int; t.test(x, conf.level = 0.99)$conf.int
        var summary = new ReplicationSummary();
        foreach (double x in new[] { 10.2, 9.7, 11.5, 10.9, 10.1, 9.4 })
            summary.Add(x);
        Assert.Equal(6, summary.Count);
        Assert.Equal(10.3, summary.Mean, 12);
        Assert.Equal(0.7771744, summary.StandardDeviation, 6);
        Assert.Equal(2.570582 * 0.7771744 / Math.Sqrt(6), summary.HalfWidth(), 5);
        Assert.Equal(4.032143 * 0.7771744 / Math.Sqrt(6), summary.HalfWidth(0.99), 5);
    }

    [Fact]
    public void One_replication_has_a_mean_but_no_interval()
    {
        var (mean, halfWidth) = ReplicationSummary.Of([42]);
        Assert.Equal(42, mean);
        Assert.True(double.IsNaN(halfWidth));
    }

    [Fact]
    public void No_replications_give_NaN_throughout()
    {
        var (mean, halfWidth) = ReplicationSummary.Of([]);
        Assert.True(double.IsNaN(mean));
        Assert.True(double.IsNaN(halfWidth));
        Assert.True(double.IsNaN(new ReplicationSummary().StandardDeviation));
    }

    [Fact]
    public void Identical_replications_have_a_zero_half_width()
    {
        var (mean, halfWidth) = ReplicationSummary.Of([7, 7, 7]);
        Assert.Equal(7, mean);
        Assert.Equal(0, halfWidth);
    }

    [Fact]
    public void A_replication_that_measured_nothing_shows_as_NaN()
    {
        var (mean, halfWidth) = ReplicationSummary.Of([1, double.NaN, 3]);
        Assert.True(double.IsNaN(mean));
        Assert.True(double.IsNaN(halfWidth));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Rejects_a_confidence_outside_zero_and_one(double confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>("confidence", () => new ReplicationSummary().HalfWidth(confidence));
}
