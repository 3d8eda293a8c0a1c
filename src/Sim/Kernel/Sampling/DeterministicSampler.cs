namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>Always the same value: a fixed size or a fixed cost. Draws nothing from the stream.</summary>
public sealed class DeterministicSampler : Sampler
{
    private readonly double _value;

    /// <param name="value">The value every sample returns; finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is infinite or NaN.</exception>
    public DeterministicSampler(double value)
    {
        _value = RequireFinite(value);
    }

    /// <summary>Returns the value. O(1); leaves the stream untouched.</summary>
    public override double Sample(System.Random random) => _value;

    /// <summary>The value itself.</summary>
    public override double Mean => _value;

    public override string Describe() => Invariant($"deterministic({_value})");
}
