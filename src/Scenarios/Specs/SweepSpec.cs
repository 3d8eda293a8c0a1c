namespace ClusterNetPerf.Scenarios.Specs;

/// <summary>The sweep: axes in file order, the first outermost. The points are their cartesian product.</summary>
public sealed record SweepSpec
{
    public IReadOnlyList<SweepAxisSpec> Axes { get; init; } = [];

    /// <summary>Number of points: the product of the axes' lengths (1 with no axis).</summary>
    public int PointCount => Axes.Aggregate(1, (product, axis) => checked(product * axis.Values.Count));

    /// <summary>The values of the point at canonical <paramref name="pointIndex"/>, one per axis.</summary>
    public IReadOnlyList<string> ValuesAt(int pointIndex)
    {
        int[] choice = ChoiceAt(pointIndex, [.. Axes.Select(axis => axis.Values.Count)]);
        return [.. choice.Select((valueIndex, axis) => Axes[axis].Values[valueIndex])];
    }

    /// <summary>
    /// Which value of each axis the point at canonical <paramref name="pointIndex"/> takes: a mixed-radix
    /// number whose last digit (the last axis) turns fastest, so the first axis is outermost.
    /// </summary>
    public static int[] ChoiceAt(int pointIndex, IReadOnlyList<int> axisLengths)
    {
        var choice = new int[axisLengths.Count];
        for (int axis = axisLengths.Count - 1; axis >= 0; axis--)
        {
            choice[axis] = pointIndex % axisLengths[axis];
            pointIndex /= axisLengths[axis];
        }
        return choice;
    }
}
