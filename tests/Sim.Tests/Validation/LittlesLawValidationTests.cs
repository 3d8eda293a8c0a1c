using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>Little's law L = λW on a loaded link, with L integrated from the arrival and departure times.</summary>
public sealed class LittlesLawValidationTests
{
    [Fact]
    public void Time_average_number_in_system_equals_lambda_times_mean_sojourn()
    {
        const double meanSizeBytes = 1_000_000;
        const int messages = 600_000;
        const int batches = 30;
        double mu = SingleLinkQueue.ServiceRate(meanSizeBytes);
        double lambda = 0.8 * mu;
        // Propagation keeps messages "in the system" after the transmitter has let them go; the law still holds.
        PoissonSource source = SingleLinkQueue.Run(seed: 21, lambda, SingleLinkQueue.ExponentialSizes(meanSizeBytes), messages, SimTime.FromMicroseconds(50));

        long start = source.SentAt[messages / 50];
        long end = source.SentAt[messages - 1];
        double[] numberInSystem = TimeAveragesOverBatches(source, start, end, batches);
        var ci = ConfidenceInterval.FromBatchMeans(numberInSystem);

        // The same sample path, counted two ways: λ̂ and Ŵ measured over the window.
        int[] inWindow = Enumerable.Range(0, messages).Where(i => source.SentAt[i] >= start && source.SentAt[i] < end).ToArray();
        Assert.True(inWindow.Length > 0.95 * messages, $"only {inWindow.Length} of {messages} messages in the measured window");
        double lambdaHat = inWindow.Length / (double)(end - start);
        double meanSojourn = inWindow.Average(i => (double)(source.DoneAt[i] - source.SentAt[i]));
        ci.AssertCovers(lambdaHat * meanSojourn, 0.05);
        // And against theory: M/M/1 plus λ × propagation messages on the wire.
        ci.AssertCovers(QueueingTheory.MM1MeanNumberInSystem(lambda, mu) + lambda * 50e-6, 0.05);
    }

    /// <summary>
    /// ∫ N(t) dt over each of <paramref name="batches"/> equal spans of [start, end), divided by
    /// the span: each message contributes the overlap of [sent, delivered) with the span.
    /// </summary>
    private static double[] TimeAveragesOverBatches(PoissonSource source, long start, long end, int batches)
    {
        long span = (end - start) / batches;
        var area = new double[batches];
        for (int i = 0; i < source.Generated; i++)
        {
            long from = Math.Max(source.SentAt[i], start);
            long to = Math.Min(source.DoneAt[i], start + span * batches);
            for (long t = from; t < to;)
            {
                int b = (int)((t - start) / span);
                long batchEnd = start + (b + 1) * span;
                long until = Math.Min(to, batchEnd);
                area[b] += until - t;
                t = until;
            }
        }
        return area.Select(a => a / span).ToArray();
    }
}
