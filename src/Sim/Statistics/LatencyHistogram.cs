using System.Diagnostics;
using System.Numerics;

namespace ClusterNetPerf.Sim.Statistics;

/// <summary>
/// A streaming histogram of non-negative integer values (latencies in nanoseconds) with
/// bounded relative error, in the log-linear layout of HdrHistogram: values below
/// 2^s are counted exactly; each power-of-two range [2^k, 2^(k+1)) above is split into
/// 2^s equal sub-buckets of width 2^(k−s).
/// </summary>
/// <remarks>
/// <para>
/// <b>Error bound.</b> A bucket's width is at most 2^−s of any value in it, and
/// <see cref="ValueAtQuantile"/> answers with the bucket's midpoint, so the answer is within a
/// relative error of 2^−(s+1) of the exact order statistic (<see cref="RelativeError"/>).
/// The default s = 7 gives 0.39 %, inside the 1 % a p99.9 in <c>points.csv</c> needs.
/// <see cref="Count"/>, <see cref="Min"/>, <see cref="Max"/> and <see cref="Mean"/> are exact.
/// </para>
/// <para>
/// <b>Range and memory.</b> Every value from 0 to <see cref="long.MaxValue"/> (292 years of
/// nanoseconds) has a bucket, so there is no range to configure and nothing is clipped. The
/// histogram holds (64 − s)·2^s counters of 8 bytes: 58 KiB at s = 7, 29 KiB at s = 6.
/// It is allocated once in the constructor.
/// </para>
/// <para>
/// <b>Cost.</b> <see cref="Record"/> is O(1) and does not allocate (a leading-zero count,
/// a shift and an add). <see cref="ValueAtQuantile"/> is O(buckets between min and max).
/// <see cref="Merge"/> and <see cref="Reset"/> are O(buckets). Not thread-safe: a histogram
/// belongs to one run.
/// </para>
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>The sub-bucket bits used when none are given: 2^−8 ≈ 0.39 % relative error.</summary>
    public const int DefaultSubBucketBits = 7;

    private const int MinSubBucketBits = 1;
    // 2^14 sub-buckets would already cost 6 MiB; more precision than that is never needed
    // for latencies and only wastes memory.
    private const int MaxSubBucketBits = 14;

    private readonly int _subBucketBits;
    private readonly long _subBucketCount;
    private readonly long[] _counts;
    private long _count;
    private long _min;
    private long _max;
    // Int128 so that the sum stays exact: a million one-hour latencies already exceed 2^61 ns.
    private Int128 _sum;

    /// <summary>Creates an empty histogram.</summary>
    /// <param name="subBucketBits">
    /// s: each power-of-two range is split into 2^s sub-buckets, giving a relative error of at
    /// most 2^−(s+1). Between 1 and 14.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="subBucketBits"/> is outside 1..14.</exception>
    public LatencyHistogram(int subBucketBits = DefaultSubBucketBits)
    {
        if (subBucketBits < MinSubBucketBits || subBucketBits > MaxSubBucketBits)
            throw new ArgumentOutOfRangeException(nameof(subBucketBits), subBucketBits,
                $"subBucketBits must be between {MinSubBucketBits} and {MaxSubBucketBits}: it sets a relative error of 2^-(s+1) and a memory of (64-s)*2^s counters.");
        _subBucketBits = subBucketBits;
        _subBucketCount = 1L << subBucketBits;
        // Values below 2^s take the first 2^s buckets; each k from s to 62 takes 2^s more.
        _counts = new long[(64 - subBucketBits) * _subBucketCount];
        Reset();
    }

    /// <summary>s: the number of bits of each value's mantissa the histogram keeps.</summary>
    public int SubBucketBits => _subBucketBits;

    /// <summary>The largest relative error of <see cref="ValueAtQuantile"/>: 2^−(s+1).</summary>
    public double RelativeError => Math.ScaleB(1.0, -(_subBucketBits + 1));

    /// <summary>The number of values recorded.</summary>
    public long Count => _count;

    /// <summary>The smallest value recorded, exactly; 0 when the histogram is empty (check <see cref="Count"/>).</summary>
    public long Min => _count == 0 ? 0 : _min;

    /// <summary>The largest value recorded, exactly; 0 when the histogram is empty (check <see cref="Count"/>).</summary>
    public long Max => _count == 0 ? 0 : _max;

    /// <summary>The arithmetic mean of the values recorded, from an exact running sum; NaN when empty.</summary>
    public double Mean => _count == 0 ? double.NaN : (double)_sum / _count;

    /// <summary>Records one value. O(1), no allocation.</summary>
    /// <param name="valueNs">The value in nanoseconds; must not be negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="valueNs"/> is negative.</exception>
    public void Record(long valueNs) => RecordMany(valueNs, 1);

    /// <summary>Records <paramref name="count"/> occurrences of one value. O(1), no allocation.</summary>
    /// <param name="valueNs">The value in nanoseconds; must not be negative.</param>
    /// <param name="count">How many times the value occurred; must not be negative (0 records nothing).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative value or count.</exception>
    public void RecordMany(long valueNs, long count)
    {
        if (valueNs < 0)
            throw new ArgumentOutOfRangeException(nameof(valueNs), valueNs, "A latency cannot be negative.");
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "An occurrence count cannot be negative.");
        if (count == 0)
            return;
        _counts[BucketIndex(valueNs)] += count;
        _count += count;
        _sum += (Int128)valueNs * count;
        if (valueNs < _min) _min = valueNs;
        if (valueNs > _max) _max = valueNs;
    }

    /// <summary>
    /// The value at quantile <paramref name="q"/> by the nearest-rank definition: the smallest
    /// recorded value v such that at least ⌈q·Count⌉ values are ≤ v. The answer is the midpoint
    /// of v's bucket, clamped to [<see cref="Min"/>, <see cref="Max"/>], so it is within
    /// <see cref="RelativeError"/> of v; q = 0 gives <see cref="Min"/> and q = 1
    /// <see cref="Max"/>, both exact.
    /// </summary>
    /// <param name="q">The quantile, from 0 to 1 (0.99 for p99).</param>
    /// <returns>
    /// A whole number of nanoseconds; NaN when the histogram is empty, so that a run that
    /// measured nothing cannot pass a latency objective with a p99 of 0.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is not within [0, 1].</exception>
    public double ValueAtQuantile(double q)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile must be between 0 and 1.");
        if (_count == 0)
            return double.NaN;
        if (q == 0)
            return _min;
        long rank = (long)Math.Ceiling(q * _count);
        if (rank >= _count)
            return _max;

        int last = BucketIndex(_max);
        long seen = 0;
        for (int i = BucketIndex(_min); i <= last; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Clamp(Midpoint(i), _min, _max);
        }
        throw new UnreachableException("The bucket of the maximum holds the last rank.");
    }

    /// <summary>Adds every value recorded in <paramref name="other"/> to this histogram. O(buckets).</summary>
    /// <exception cref="ArgumentException">The histograms have different <see cref="SubBucketBits"/>.</exception>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._subBucketBits != _subBucketBits)
            throw new ArgumentException(
                $"Cannot merge a histogram with {other._subBucketBits} sub-bucket bits into one with {_subBucketBits}: their buckets differ.",
                nameof(other));
        if (other._count == 0)
            return;
        for (int i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        _count += other._count;
        _sum += other._sum;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Forgets every value recorded, e.g. at the end of warm-up. O(buckets), no allocation.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _count = 0;
        _sum = 0;
        _min = long.MaxValue;
        _max = long.MinValue;
    }

    private int BucketIndex(long value)
    {
        Debug.Assert(value >= 0);
        if (value < _subBucketCount)
            return (int)value;
        int magnitude = BitOperations.Log2((ulong)value);
        int shift = magnitude - _subBucketBits;
        // (value >> shift) keeps the top s+1 bits, in [2^s, 2^(s+1)): its low s bits pick the
        // sub-bucket, and the power-of-two range adds 2^s buckets per step of the shift.
        return (int)(((long)shift << _subBucketBits) + (value >> shift));
    }

    private long Midpoint(int index)
    {
        if (index < _subBucketCount)
            return index;
        int shift = (int)(index >> _subBucketBits) - 1;
        long lowest = (_subBucketCount + (index & (_subBucketCount - 1))) << shift;
        return lowest + ((1L << shift) >> 1);
    }
}
