using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>A <see cref="Sim.Network.Link"/> as a single-server FIFO queue against M/M/1 and M/D/1.</summary>
public sealed class LinkQueueValidationTests
{
    private const double MeanSizeBytes = 1_000_000; // 1 ms of service at 1 byte/ns
    private const int Batches = 30;

    [Theory]
    [InlineData(0.5, 400_000, 0.02)]
    [InlineData(0.9, 3_000_000, 0.05)] // near saturation the sojourn is strongly correlated: a longer run, a looser bound on the width
    public void MM1_mean_sojourn_is_one_over_mu_minus_lambda(double rho, int messages, double maxRelativeHalfWidth)
    {
        double mu = SingleLinkQueue.ServiceRate(MeanSizeBytes);
        double lambda = rho * mu;
        PoissonSource source = SingleLinkQueue.Run(seed: 11, lambda, SingleLinkQueue.ExponentialSizes(MeanSizeBytes), messages);

        var ci = ConfidenceInterval.FromSeries(source.Sojourns(), warmup: messages / 50, Batches);

        ci.AssertCovers(QueueingTheory.MM1MeanSojourn(lambda, mu) * 1e9, maxRelativeHalfWidth);
    }

    [Fact]
    public void MD1_mean_wait_follows_Pollaczek_Khinchine()
    {
        const long sizeBytes = 1_000_000;
        const int messages = 400_000;
        double mu = SingleLinkQueue.ServiceRate(sizeBytes);
        double lambda = 0.8 * mu;
        PoissonSource source = SingleLinkQueue.Run(seed: 12, lambda, SingleLinkQueue.FixedSizes(sizeBytes), messages);
        double serviceNs = SingleLinkQueue.Bandwidth.TransmissionTime(sizeBytes).Nanoseconds;

        double[] waits = source.Sojourns().Select(s => s - serviceNs).ToArray();
        var ci = ConfidenceInterval.FromSeries(waits, warmup: messages / 50, Batches);

        ci.AssertCovers(QueueingTheory.MD1MeanWait(lambda, mu) * 1e9, 0.03);
    }

    [Fact]
    public void Propagation_delay_adds_a_constant_to_every_sojourn()
    {
        const int messages = 2_000;
        double lambda = 0.7 * SingleLinkQueue.ServiceRate(MeanSizeBytes);
        var sizes = SingleLinkQueue.ExponentialSizes(MeanSizeBytes);
        double[] without = SingleLinkQueue.Run(seed: 13, lambda, sizes, messages).Sojourns();
        double[] with = SingleLinkQueue.Run(seed: 13, lambda, sizes, messages, SimTime.FromMicroseconds(250)).Sojourns();

        Assert.Equal(without.Select(s => s + 250_000), with);
    }
}
