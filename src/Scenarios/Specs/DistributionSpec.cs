using ClusterNetPerf.Sim.Network;

namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>
/// A size distribution as written in a scenario. Only the fields its <see cref="Kind"/> needs are set
/// (the loader rejects the others): deterministic and exponential use <see cref="Mean"/>; uniform uses
/// <see cref="Min"/> and <see cref="Max"/>; lognormal uses <see cref="Median"/> and <see cref="Sigma"/>;
/// pareto uses <see cref="Scale"/> and <see cref="Shape"/>; boundedPareto uses <see cref="Min"/>,
/// <see cref="Max"/> and <see cref="Shape"/>; empirical uses <see cref="Points"/>.
/// </summary>
public sealed record DistributionSpec
{
    public required DistributionKind Kind { get; init; }
    public ByteSize? Mean { get; init; }
    public ByteSize? Min { get; init; }
    public ByteSize? Max { get; init; }
    public ByteSize? Median { get; init; }
    /// <summary>Standard deviation of the underlying normal (lognormal); dimensionless.</summary>
    public double? Sigma { get; init; }
    /// <summary>Pareto minimum.</summary>
    public ByteSize? Scale { get; init; }
    /// <summary>Pareto tail index alpha; dimensionless.</summary>
    public double? Shape { get; init; }
    /// <summary>Empirical CDF points, sizes non-decreasing, probabilities increasing to exactly 1.</summary>
    public IReadOnlyList<EmpiricalPointSpec>? Points { get; init; }

    /// <summary>A deterministic size, what a plain scalar such as <c>16KiB</c> means.</summary>
    public static DistributionSpec Fixed(ByteSize size) => new() { Kind = DistributionKind.Deterministic, Mean = size };
}
