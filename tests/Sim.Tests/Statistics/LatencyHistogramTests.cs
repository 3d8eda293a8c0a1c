using ClusterNetPerf.Sim.Statistics;
using FsCheck;
using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ClusterNetPerf.Sim.Tests.Statistics;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1];

    public static TheoryData<string> Distributions => ["exponential", "lognormal", "decades"];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Quantiles_are_within_the_relative_error_of_the_exact_order_statistics(string distribution)
    {
        var random = new Xoshiro256StarStar(42, threadSafe: false);
        long[] values = new long[100_000];
        for (int i = 0; i < values.Length; i++)
        {
            double sample = distribution switch
            {
                "exponential" => Exponential.Sample(random, 1.0 / 1e6),
                "lognormal" => LogNormal.Sample(random, Math.Log(1e5), 1.5),
                _ => Math.Pow(10, ContinuousUniform.Sample(random, 0, 12)),
            };
            values[i] = (long)sample;
        }
        var histogram = Build(values);

        Array.Sort(values);
        foreach (double q in Quantiles)
            AssertWithinError(histogram, ExactQuantile(values, q), histogram.ValueAtQuantile(q));
    }

    [Property(MaxTest = 200)]
    public void Any_quantile_of_any_values_is_within_the_relative_error(NonEmptyArray<NonNegativeInt> mantissas, byte shift, NonNegativeInt quantileSeed)
    {
        long[] values = Spread(mantissas, shift);
        double q = (quantileSeed.Get % 10_001) / 10_000.0;
        var histogram = Build(values);

        Array.Sort(values);
        AssertWithinError(histogram, ExactQuantile(values, q), histogram.ValueAtQuantile(q));
    }

    [Property(MaxTest = 100)]
    public void Merging_equals_recording_everything_into_one(NonEmptyArray<NonNegativeInt> left, NonEmptyArray<NonNegativeInt> right, byte shift)
    {
        long[] a = Spread(left, shift);
        long[] b = Spread(right, (byte)(shift + 13));
        var merged = Build(a);
        merged.Merge(Build(b));
        var mergedOtherWay = Build(b);
        mergedOtherWay.Merge(Build(a));

        AssertSameContents(Build([.. a, .. b]), merged);
        AssertSameContents(merged, mergedOtherWay);
    }

    [Fact]
    public void An_empty_histogram_reports_NaN_so_that_no_objective_passes_on_nothing()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        Assert.True(double.IsNaN(histogram.Mean));
        Assert.True(double.IsNaN(histogram.ValueAtQuantile(0)));
        Assert.True(double.IsNaN(histogram.ValueAtQuantile(0.99)));
        Assert.True(double.IsNaN(histogram.ValueAtQuantile(1)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(1_234_567L)]
    [InlineData(3_600_000_000_000L)]
    [InlineData(long.MaxValue)]
    public void A_single_value_is_returned_exactly_at_every_quantile(long value)
    {
        var histogram = new LatencyHistogram();
        histogram.Record(value);
        foreach (double q in Quantiles)
            Assert.Equal(value, histogram.ValueAtQuantile(q));
        Assert.Equal(value, histogram.Min);
        Assert.Equal(value, histogram.Max);
        Assert.Equal(value, histogram.Mean);
    }

    [Fact]
    public void Quantiles_zero_and_one_are_the_exact_minimum_and_maximum()
    {
        var histogram = Build([123_456_789, 500_000_000, 700_000_001, 987_654_321]);
        Assert.Equal(123_456_789, histogram.ValueAtQuantile(0));
        Assert.Equal(987_654_321, histogram.ValueAtQuantile(1));
        // Nearest rank: p50 of four values is the second smallest, whose bucket is far from both ends.
        Assert.InRange(histogram.ValueAtQuantile(0.5), 500_000_000 * (1 - histogram.RelativeError), 500_000_000 * (1 + histogram.RelativeError));
    }

    [Fact]
    public void Values_below_the_sub_bucket_count_are_exact()
    {
        var histogram = Build([.. Enumerable.Range(0, 128).Select(v => (long)v)]);
        for (int rank = 1; rank <= 128; rank++)
            Assert.Equal(rank - 1, histogram.ValueAtQuantile(rank / 128.0));
    }

    [Theory]
    [InlineData(1, 0.25)]
    [InlineData(6, 1.0 / 128)]
    [InlineData(7, 1.0 / 256)]
    [InlineData(14, 1.0 / 32_768)]
    public void The_error_bound_follows_the_sub_bucket_bits(int bits, double relativeError)
    {
        var histogram = new LatencyHistogram(bits);
        Assert.Equal(relativeError, histogram.RelativeError);
        Assert.Equal(bits, histogram.SubBucketBits);
        // The bound is tight: one value at a bucket's low edge, one at its top, read as the midpoint.
        long low = 1L << 40;
        histogram.RecordMany(low, 2);
        histogram.Record(low + (1L << (40 - bits)) - 1);
        double answer = histogram.ValueAtQuantile(0.5);
        Assert.Equal(low * relativeError, answer - low);
    }

    [Fact]
    public void The_mean_is_exact_even_when_the_sum_exceeds_a_long()
    {
        var histogram = new LatencyHistogram();
        long hour = 3_600_000_000_000;
        histogram.RecordMany(hour, 10_000_000);
        histogram.Record(0);
        Assert.Equal(hour * (10_000_000 / 10_000_001.0), histogram.Mean, 1e-3);
        Assert.Equal(10_000_001, histogram.Count);
    }

    [Fact]
    public void Recording_many_equals_recording_one_at_a_time()
    {
        var many = new LatencyHistogram();
        var single = new LatencyHistogram();
        many.RecordMany(5_000, 3);
        many.RecordMany(70_000, 0);
        many.RecordMany(9_000_000, 2);
        single.Record(5_000);
        single.Record(5_000);
        single.Record(5_000);
        single.Record(9_000_000);
        single.Record(9_000_000);
        AssertSameContents(single, many);
    }

    [Fact]
    public void Reset_forgets_everything()
    {
        var histogram = Build([10, 20, 30]);
        histogram.Reset();
        Assert.Equal(0, histogram.Count);
        Assert.True(double.IsNaN(histogram.ValueAtQuantile(0.5)));
        histogram.Record(7);
        Assert.Equal(7, histogram.Min);
        Assert.Equal(7, histogram.ValueAtQuantile(1));
    }

    [Fact]
    public void Recording_does_not_allocate()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long v = 0; v < 100_000; v++)
            histogram.Record(v * 7_919);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Rejects_what_has_no_meaning()
    {
        var histogram = new LatencyHistogram();
        Assert.Throws<ArgumentOutOfRangeException>("valueNs", () => histogram.Record(-1));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => histogram.RecordMany(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>("q", () => histogram.ValueAtQuantile(1.01));
        Assert.Throws<ArgumentOutOfRangeException>("q", () => histogram.ValueAtQuantile(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("subBucketBits", () => new LatencyHistogram(0));
        Assert.Throws<ArgumentException>("other", () => histogram.Merge(new LatencyHistogram(6)));
    }

    // Nearest rank, the definition ValueAtQuantile documents.
    private static long ExactQuantile(long[] sorted, double q) =>
        q == 0 ? sorted[0] : sorted[Math.Min(sorted.Length, (long)Math.Ceiling(q * sorted.Length)) - 1];

    private static void AssertWithinError(LatencyHistogram histogram, long exact, double actual) =>
        Assert.True(Math.Abs(actual - exact) <= exact * histogram.RelativeError,
            $"histogram answered {actual}, exact {exact}: beyond the relative error {histogram.RelativeError}");

    private static void AssertSameContents(LatencyHistogram expected, LatencyHistogram actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Mean, actual.Mean);
        for (int perMille = 0; perMille <= 1000; perMille++)
            Assert.Equal(expected.ValueAtQuantile(perMille / 1000.0), actual.ValueAtQuantile(perMille / 1000.0));
    }

    // Small generated integers shifted over many binary orders of magnitude, so that both the
    // exact low buckets and the wide high ones are exercised.
    private static long[] Spread(NonEmptyArray<NonNegativeInt> mantissas, byte shift) =>
        [.. mantissas.Get.Select((m, i) => (long)m.Get << ((shift + i * 7) % 33))];

    private static LatencyHistogram Build(long[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (long value in values)
            histogram.Record(value);
        return histogram;
    }
}
