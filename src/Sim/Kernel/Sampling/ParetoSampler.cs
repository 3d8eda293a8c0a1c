namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// The Pareto (type I) distribution on [scale, ∞): P(X &gt; x) = (scale / x)^shape. A heavy
/// tail, e.g. flow sizes where a few elephants carry most bytes.
/// </summary>
/// <remarks>
/// Sampled by inverting the CDF with 1 − U, U uniform on [0, 1). MathNet's
/// <c>Pareto.Sample</c> raises U itself to −1/shape, which is +∞ when the generator returns
/// exactly 0 (probability 2^−53 per draw, so once in a long sweep), and an infinite time or
/// size would wreck a run; 1 − U lies in (0, 1] and never does.
/// </remarks>
public sealed class ParetoSampler : Sampler
{
    private readonly double _scale;
    private readonly double _shape;
    private readonly double _exponent;

    /// <param name="scale">The minimum value x_m; positive and finite.</param>
    /// <param name="shape">α, the tail index; positive and finite. The mean is finite only for α &gt; 1, the variance only for α &gt; 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive and finite.</exception>
    public ParetoSampler(double scale, double shape)
    {
        _scale = RequirePositive(scale);
        _shape = RequirePositive(shape);
        _exponent = -1 / shape;
    }

    /// <summary>Draws by inversion. O(1), no allocation; always finite.</summary>
    public override double Sample(System.Random random) => _scale * Math.Pow(1 - random.NextDouble(), _exponent);

    /// <summary>α·x_m / (α − 1) for α &gt; 1; +∞ for α ≤ 1.</summary>
    public override double Mean => _shape > 1 ? _shape * _scale / (_shape - 1) : double.PositiveInfinity;

    public override string Describe() => Invariant($"pareto(scale={_scale}, shape={_shape})");
}
