using System.Globalization;
using System.Runtime.CompilerServices;

namespace ClusterNetPerf.Sim.Kernel.Sampling;

/// <summary>
/// A probability distribution that model components draw from: inter-arrival times, request
/// and response sizes, service times. Values are in whatever unit the caller gives the
/// parameters in (the caller's name says which, e.g. <c>interArrivalSeconds</c>).
/// </summary>
/// <remarks>
/// The extension point for new distributions. Implementations are immutable, validate their
/// parameters once in the constructor (an <see cref="ArgumentException"/> naming the parameter
/// and the reason), and sample in O(1) or O(log points) without allocating, so that a draw per
/// event costs no garbage. The random stream is passed in, not held, so that one sampler (one
/// scenario parameter) can serve several components, each with its own stream from
/// <see cref="RandomStreams"/>.
/// </remarks>
public abstract class Sampler
{
    /// <summary>Draws one value. Deterministic for a given stream state; does not allocate.</summary>
    /// <param name="random">The stream to draw from, e.g. <see cref="RandomStreams.Stream"/>.</param>
    public abstract double Sample(System.Random random);

    /// <summary>The analytic mean; +∞ where the integral diverges (a heavy tail), NaN where it is undefined.</summary>
    public abstract double Mean { get; }

    /// <summary>A short description with parameters, invariant culture, e.g. <c>exponential(mean=0.002)</c>.</summary>
    public abstract string Describe();

    /// <summary>The same as <see cref="Describe"/>, so that samplers read well in logs and assertion messages.</summary>
    public sealed override string ToString() => Describe();

    /// <summary>Formats a description with invariant culture, whatever the caller's culture.</summary>
    protected static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Returns <paramref name="value"/> if it is finite and &gt; 0; otherwise throws naming the parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero, negative, infinite or NaN.</exception>
    protected static double RequirePositive(double value, [CallerArgumentExpression(nameof(value))] string parameter = "")
    {
        if (!(value > 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(parameter, value, $"{parameter} must be positive and finite.");
        return value;
    }

    /// <summary>Returns <paramref name="value"/> if it is finite; otherwise throws naming the parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is infinite or NaN.</exception>
    protected static double RequireFinite(double value, [CallerArgumentExpression(nameof(value))] string parameter = "")
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(parameter, value, $"{parameter} must be a finite number.");
        return value;
    }

    /// <summary>Throws naming <paramref name="upperParameter"/> unless lower &lt; upper.</summary>
    /// <exception cref="ArgumentOutOfRangeException">upper ≤ lower.</exception>
    protected static void RequireOrdered(double lower, double upper, string lowerParameter, string upperParameter)
    {
        if (!(upper > lower))
            throw new ArgumentOutOfRangeException(upperParameter, upper, $"{upperParameter} must be greater than {lowerParameter} ({lower}).");
    }
}
