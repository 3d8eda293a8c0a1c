namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The sweep: axes in file order, the first outermost. The points are their cartesian product.</summary>
public sealed record SweepSpec
{
    public IReadOnlyList<SweepAxisSpec> Axes { get; init; } = [];

    /// <summary>Number of points: the product of the axes' lengths (1 with no axis).</summary>
    public int PointCount => Axes.Aggregate(1, (product, axis) => checked(product * axis.Values.Count));
}
