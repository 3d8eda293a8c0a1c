using System.Globalization;
using MathNet.Numerics.Distributions;

namespace ClusterNetPerf.Sim.Tests.Validation;

/// <summary>
/// A 99% batch-means confidence interval for the steady-state mean of a correlated series
/// (sojourn times, blocking indicators): batches long enough to be nearly independent, then
/// a Student-t interval over the batch means.
/// </summary>
internal readonly record struct ConfidenceInterval(double Mean, double HalfWidth, int Batches)
{
    /// <summary>Confidence level of every interval in the validation tests.</summary>
    public const double Level = 0.99;

    /// <summary>Fewest batches we accept: below about 20 the t quantile and the variance estimate are too loose.</summary>
    public const int MinimumBatches = 20;

    public double RelativeHalfWidth => HalfWidth / Math.Abs(Mean);

    public bool Contains(double value) => value >= Mean - HalfWidth && value <= Mean + HalfWidth;

    /// <summary>
    /// Discards the first <paramref name="warmup"/> observations, splits the rest into
    /// <paramref name="batches"/> batches of equal size (a remainder at the end is dropped).
    /// </summary>
    public static ConfidenceInterval FromSeries(IReadOnlyList<double> observations, int warmup, int batches)
    {
        int size = (observations.Count - warmup) / batches;
        if (size < 1) throw new ArgumentException($"{observations.Count} observations leave no {batches} batches after a warm-up of {warmup}.");
        var means = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            double sum = 0;
            int first = warmup + b * size;
            for (int i = first; i < first + size; i++) sum += observations[i];
            means[b] = sum / size;
        }
        return FromBatchMeans(means);
    }

    /// <summary>The interval over batch means computed elsewhere (e.g. time averages over equal spans).</summary>
    public static ConfidenceInterval FromBatchMeans(IReadOnlyList<double> means)
    {
        int n = means.Count;
        if (n < MinimumBatches) throw new ArgumentException($"{n} batches: at least {MinimumBatches} are needed.");
        double mean = means.Average();
        double variance = means.Sum(m => (m - mean) * (m - mean)) / (n - 1);
        double t = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - Level) / 2);
        return new ConfidenceInterval(mean, t * Math.Sqrt(variance / n), n);
    }

    /// <summary>
    /// Asserts that <paramref name="theory"/> lies in the interval and that the interval is
    /// narrower than <paramref name="maxRelativeHalfWidth"/> of the mean, so a wrong model
    /// cannot pass by making the run too short.
    /// </summary>
    public void AssertCovers(double theory, double maxRelativeHalfWidth)
    {
        Assert.True(Contains(theory), $"theory {Format(theory)} outside {this}");
        Assert.True(RelativeHalfWidth <= maxRelativeHalfWidth, $"{this} is wider than ±{maxRelativeHalfWidth:P1}");
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Format(Mean)} ± {Format(HalfWidth)} ({Level:P0}, {Batches} batches, ±{RelativeHalfWidth:P2})");

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
