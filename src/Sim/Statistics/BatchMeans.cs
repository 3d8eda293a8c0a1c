namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// The method of batch means: a confidence interval for the steady-state mean from one long
/// run. The run's observations (in the order they occurred, warm-up already discarded) are cut
/// into k consecutive batches of equal size; when batches are long compared with the
/// correlation time of the process, their means are nearly independent and are treated as k
/// replications by <see cref="ReplicationSummary"/>.
/// </summary>
/// <remarks>
/// Choose 10 to 30 batches: fewer widen the t quantile, more shorten the batches until
/// neighbouring batch means are correlated and the interval is too narrow. Queueing models
/// near saturation correlate over long spans and need long runs, not more batches.
/// </remarks>
public static class BatchMeans
{
    /// <summary>
    /// The mean of the batch means and the 95 % Student-t half-width over them. When the number
    /// of observations is not a multiple of <paramref name="batchCount"/>, the n mod k earliest
    /// observations are dropped, because they are the closest to the warm-up transient. O(n),
    /// no allocation beyond the summary.
    /// </summary>
    /// <param name="observations">The observations of one run, in time order.</param>
    /// <param name="batchCount">k, at least 2 and at most the number of observations.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 batches, or fewer observations than batches.</exception>
    public static (double mean, double halfWidth) Of(IReadOnlyList<double> observations, int batchCount)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (batchCount < 2)
            throw new ArgumentOutOfRangeException(nameof(batchCount), batchCount, "Batch means need at least 2 batches to estimate a spread.");
        if (observations.Count < batchCount)
            throw new ArgumentOutOfRangeException(nameof(observations), observations.Count,
                $"{observations.Count} observations cannot fill {batchCount} batches of at least one observation.");

        int batchSize = observations.Count / batchCount;
        int first = observations.Count - batchSize * batchCount;
        var summary = new ReplicationSummary();
        for (int batch = 0; batch < batchCount; batch++)
        {
            int start = first + batch * batchSize;
            double sum = 0;
            for (int i = start; i < start + batchSize; i++)
                sum += observations[i];
            summary.Add(sum / batchSize);
        }
        return (summary.Mean, summary.HalfWidth());
    }
}
