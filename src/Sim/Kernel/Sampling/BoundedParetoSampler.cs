namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// The Pareto distribution truncated to [min, max]: a heavy tail with a largest possible value
/// (a flow cannot exceed the object being fetched), so that every moment is finite and a
/// simulation's sample mean converges.
/// </summary>
/// <remarks>
/// CDF F(x) = (1 − (L/x)^α) / (1 − (L/H)^α) for L ≤ x ≤ H, with L = min and H = max. Sampled by
/// inversion: x = L · (1 − U(1 − (L/H)^α))^(−1/α), U uniform on [0, 1), so x lies in [L, H).
/// </remarks>
public sealed class BoundedParetoSampler : Sampler
{
    private readonly double _min;
    private readonly double _max;
    private readonly double _shape;
    // 1 − (L/H)^α: the probability mass the untruncated Pareto puts on [L, H].
    private readonly double _mass;

    /// <param name="min">L, the smallest value; positive and finite.</param>
    /// <param name="max">H, the largest value; finite and greater than <paramref name="min"/>.</param>
    /// <param name="shape">α, the tail index; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive and finite, or max ≤ min.</exception>
    public BoundedParetoSampler(double min, double max, double shape)
    {
        _min = RequirePositive(min);
        _max = RequirePositive(max);
        RequireOrdered(min, max, nameof(min), nameof(max));
        _shape = RequirePositive(shape);
        _mass = 1 - Math.Pow(min / max, shape);
    }

    /// <summary>Draws by inversion. O(1), no allocation.</summary>
    public override double Sample(System.Random random) =>
        _min * Math.Pow(1 - random.NextDouble() * _mass, -1 / _shape);

    /// <summary>The CDF at <paramref name="x"/>: 0 below min, 1 above max.</summary>
    public double Cdf(double x) =>
        x <= _min ? 0 : x >= _max ? 1 : (1 - Math.Pow(_min / x, _shape)) / _mass;

    /// <summary>
    /// α·L/(α − 1) · (1 − (L/H)^(α−1)) / (1 − (L/H)^α), or L·ln(H/L) / (1 − L/H) for α = 1;
    /// written in ratios L/H so that large bounds do not overflow L^α.
    /// </summary>
    public override double Mean
    {
        get
        {
            double ratio = _min / _max;
            return _shape == 1
                ? _min * Math.Log(_max / _min) / (1 - ratio)
                : _shape * _min / (_shape - 1) * (1 - Math.Pow(ratio, _shape - 1)) / _mass;
        }
    }

    public override string Describe() => Invariant($"bounded-pareto(min={_min}, max={_max}, shape={_shape})");
}
