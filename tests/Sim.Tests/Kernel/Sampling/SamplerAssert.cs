using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Kernel.Sampling;

namespace ClusterNetPerf.Sim.Tests.Kernel.Sampling;

/// <summary>The checks every sampler must pass, against its analytic mean and CDF.</summary>
internal static class SamplerAssert
{
    // Two-sided 99.9 % normal quantile: with seeded streams the checks are deterministic, and a
    // correct sampler lands outside only once in a thousand seeds.
    private const double Z999 = 3.2905;
    // Kolmogorov's asymptotic critical value of √n·D at α = 0.001.
    private const double KolmogorovCritical999 = 1.9495;

    public static System.Random Stream(string name) => new RandomStreams(2024).Stream(name);

    /// <summary>The sample mean of 200,000 draws is within a 99.9 % interval of the analytic mean.</summary>
    public static void MeanMatches(Sampler sampler)
    {
        const int n = 200_000;
        var random = Stream(sampler.Describe());
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double x = sampler.Sample(random);
            sum += x;
            sumOfSquares += x * x;
        }
        double mean = sum / n;
        double standardDeviation = Math.Sqrt((sumOfSquares - n * mean * mean) / (n - 1));
        double halfWidth = Z999 * standardDeviation / Math.Sqrt(n);
        Assert.True(Math.Abs(mean - sampler.Mean) <= halfWidth,
            $"{sampler}: sample mean {mean} ± {halfWidth} does not cover the analytic mean {sampler.Mean}");
    }

    /// <summary>A Kolmogorov–Smirnov test of 50,000 draws against <paramref name="cdf"/> at α = 0.001.</summary>
    public static void FollowsCdf(Sampler sampler, Func<double, double> cdf)
    {
        const int n = 50_000;
        var random = Stream(sampler.Describe());
        double[] samples = new double[n];
        for (int i = 0; i < n; i++)
            samples[i] = sampler.Sample(random);
        Array.Sort(samples);
        // Compares both sides of each step of the empirical CDF, grouping equal samples, so that
        // a distribution with atoms (an empirical CDF's first point) is judged fairly too.
        double distance = 0;
        for (int i = 0, next; i < n; i = next)
        {
            double x = samples[i];
            for (next = i + 1; next < n && samples[next] == x; next++) { }
            double below = Math.Abs(cdf(Math.BitDecrement(x)) - (double)i / n);
            double at = Math.Abs(cdf(x) - (double)next / n);
            distance = Math.Max(distance, Math.Max(below, at));
        }
        Assert.True(distance * Math.Sqrt(n) <= KolmogorovCritical999,
            $"{sampler}: Kolmogorov–Smirnov distance {distance} exceeds {KolmogorovCritical999 / Math.Sqrt(n)}");
    }
}
