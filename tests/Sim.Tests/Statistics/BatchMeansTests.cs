using ClusterNetPerf.Sim.Statistics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ClusterNetPerf.Sim.Tests.Statistics;

public sealed class BatchMeansTests
{
    [Fact]
    public void Summarises_the_means_of_consecutive_batches()
    {
        // Batches {1,2}, {3,4}, {5,6}, {7,8}, {9,10}: means 1.5 .. 9.5, i.e. 1..5 scaled by 2, shifted by −0.5.
        double[] observations = [.. Enumerable.Range(1, 10).Select(i => (double)i)];
        var (mean, halfWidth) = BatchMeans.Of(observations, 5);
        Assert.Equal(5.5, mean, 12);
        Assert.Equal(2 * 1.963243, halfWidth, 5);
    }

    [Fact]
    public void Drops_the_earliest_observations_that_do_not_fill_a_batch()
    {
        // 1,000 at the start (a warm-up transient) is dropped: 7 observations into 3 batches of 2.
        var (mean, halfWidth) = BatchMeans.Of([1_000, 1, 1, 2, 2, 3, 3], 3);
        Assert.Equal(2, mean, 12);
        Assert.Equal(ReplicationSummary.Of([1, 2, 3]).halfWidth, halfWidth, 12);
    }

    [Fact]
    public void The_interval_of_independent_draws_covers_the_true_mean()
    {
        var random = new Xoshiro256StarStar(7, threadSafe: false);
        double[] observations = new double[100_000];
        for (int i = 0; i < observations.Length; i++)
            observations[i] = Exponential.Sample(random, 0.5);
        var (mean, halfWidth) = BatchMeans.Of(observations, 20);
        Assert.InRange(2.0, mean - halfWidth, mean + halfWidth);
        // √(Var/n) × t ≈ 2 / √100,000 × 2.09: an interval far wider means the batches were mis-cut.
        Assert.InRange(halfWidth, 0.005, 0.03);
    }

    [Fact]
    public void Rejects_too_few_batches_or_observations()
    {
        Assert.Throws<ArgumentOutOfRangeException>("batchCount", () => BatchMeans.Of([1, 2, 3], 1));
        Assert.Throws<ArgumentOutOfRangeException>("observations", () => BatchMeans.Of([1, 2, 3], 4));
    }
}
