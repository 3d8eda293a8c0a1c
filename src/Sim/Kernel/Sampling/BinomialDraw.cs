namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// Draws from Binomial(n, p) for an n and p that change from call to call (so no
/// <see cref="Sampler"/> can be built once): the number of successes among n independent trials.
/// </summary>
/// <remarks>
/// By waiting times: the gaps between successes are geometric, G = ⌊ln U / ln(1 − p)⌋ failures
/// then a success, so the draw costs O(1 + n·p) uniform draws and never underflows, whatever n.
/// Exact for every n ≥ 0 and p in [0, 1]. Allocates nothing.
/// </remarks>
public static class BinomialDraw
{
    /// <summary>A draw from Binomial(<paramref name="trials"/>, <paramref name="p"/>).</summary>
    public static int Sample(System.Random random, int trials, double p)
    {
        if (trials <= 0 || p <= 0) return 0;
        if (p >= 1) return trials;
        double logFailure = Math.Log(1 - p);
        int successes = 0;
        long position = 0;
        while (true)
        {
            position += (long)Math.Floor(Math.Log(1 - random.NextDouble()) / logFailure) + 1;
            if (position > trials) return successes;
            successes++;
        }
    }
}
