namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// A distribution given by points of its CDF, (value, cumulative probability), with the CDF
/// linear between points: how measured size or latency distributions (e.g. the web-search and
/// data-mining flow-size CDFs) enter a scenario.
/// </summary>
/// <remarks>
/// The first point's probability p₀ is an atom: a sample is exactly v₀ with probability p₀
/// (as in ns-3's EmpiricalRandomVariable), so a CDF that starts at (v₀, 0) has none. Two points
/// with the same value and rising probability are an atom too, a step in the CDF. Sampling
/// inverts the CDF with a binary search over the points: O(log points), no allocation.
/// </remarks>
public sealed class EmpiricalSampler : Sampler
{
    // Tolerates a last probability written with rounding, such as 0.1 + 0.2 + 0.7.
    private const double LastProbabilityTolerance = 1e-9;

    private readonly double[] _values;
    private readonly double[] _probabilities;

    /// <param name="points">
    /// The CDF points in order: values finite and non-decreasing, probabilities in [0, 1] and
    /// non-decreasing, the last probability 1.
    /// </param>
    /// <exception cref="ArgumentException">No points, or a point breaks one of those rules (the message says which point and why).</exception>
    public EmpiricalSampler(IReadOnlyList<(double Value, double CumulativeProbability)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
            throw new ArgumentException("An empirical CDF needs at least one point.", nameof(points));
        _values = new double[points.Count];
        _probabilities = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            (double value, double probability) = points[i];
            if (!double.IsFinite(value))
                throw new ArgumentException($"Point {i}: the value {value} is not finite.", nameof(points));
            if (!(probability >= 0 && probability <= 1))
                throw new ArgumentException($"Point {i}: the cumulative probability {probability} is not within [0, 1].", nameof(points));
            if (i > 0 && value < _values[i - 1])
                throw new ArgumentException($"Point {i}: the value {value} is below the previous value {_values[i - 1]}; a CDF's values must not decrease.", nameof(points));
            if (i > 0 && probability < _probabilities[i - 1])
                throw new ArgumentException($"Point {i}: the cumulative probability {probability} is below the previous {_probabilities[i - 1]}; a CDF must not decrease.", nameof(points));
            _values[i] = value;
            _probabilities[i] = probability;
        }
        if (Math.Abs(_probabilities[^1] - 1) > LastProbabilityTolerance)
            throw new ArgumentException($"The last cumulative probability is {_probabilities[^1]}; it must be 1, or some values could never be drawn.", nameof(points));
        _probabilities[^1] = 1;
    }

    /// <summary>Draws by inverting the CDF. O(log points), no allocation.</summary>
    public override double Sample(System.Random random) => InverseCdf(random.NextDouble());

    /// <summary>
    /// The smallest x with CDF(x) &gt; <paramref name="u"/>, interpolated linearly within a
    /// segment. O(log points).
    /// </summary>
    /// <param name="u">A probability in [0, 1).</param>
    public double InverseCdf(double u)
    {
        // The first point whose cumulative probability exceeds u; it exists because the last is 1 > u.
        int low = 0, high = _probabilities.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_probabilities[middle] > u) high = middle;
            else low = middle + 1;
        }
        if (low == 0)
            return _values[0];
        double p0 = _probabilities[low - 1], v0 = _values[low - 1];
        return v0 + (u - p0) / (_probabilities[low] - p0) * (_values[low] - v0);
    }

    /// <summary>The CDF at <paramref name="x"/>: P(X ≤ x), linear between points. O(points).</summary>
    public double Cdf(double x)
    {
        if (x < _values[0])
            return 0;
        for (int i = 1; i < _values.Length; i++)
        {
            if (x < _values[i])
                return _probabilities[i - 1] + (x - _values[i - 1]) / (_values[i] - _values[i - 1]) * (_probabilities[i] - _probabilities[i - 1]);
        }
        return 1;
    }

    /// <summary>p₀·v₀ plus, for each segment, its probability times its midpoint.</summary>
    public override double Mean
    {
        get
        {
            double mean = _probabilities[0] * _values[0];
            for (int i = 1; i < _values.Length; i++)
                mean += (_probabilities[i] - _probabilities[i - 1]) * (_values[i - 1] + _values[i]) / 2;
            return mean;
        }
    }

    public override string Describe() => Invariant($"empirical({_values.Length} points, {_values[0]}..{_values[^1]})");
}
