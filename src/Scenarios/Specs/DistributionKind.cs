namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The family of a size distribution (YAML: camelCase of the member name).</summary>
public enum DistributionKind
{
    /// <summary>Always <c>mean</c>.</summary>
    Deterministic,
    /// <summary>Exponential with <c>mean</c>.</summary>
    Exponential,
    /// <summary>Uniform on [<c>min</c>, <c>max</c>].</summary>
    Uniform,
    /// <summary>Log-normal with <c>median</c> and <c>sigma</c> (of the underlying normal).</summary>
    Lognormal,
    /// <summary>Pareto with <c>scale</c> (the minimum) and <c>shape</c> (alpha).</summary>
    Pareto,
    /// <summary>Pareto with <c>shape</c>, truncated to [<c>min</c>, <c>max</c>].</summary>
    BoundedPareto,
    /// <summary>Piecewise-linear CDF through <c>points</c>.</summary>
    Empirical,
}
