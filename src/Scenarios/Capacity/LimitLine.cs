namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>One line of the limits report: how close the worst run came to one resource's capacity.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Metric">The metric read.</param>
/// <param name="Used">The highest value of the metric over the runs.</param>
/// <param name="Capacity">The capacity at the run that came closest.</param>
/// <param name="Limit">How the capacity is stated.</param>
/// <param name="Point">The sweep point of the run that came closest ("" for a single point).</param>
public sealed record LimitLine(string Resource, string Metric, double Used, double Capacity, string Limit, string Point)
{
    /// <summary>1 − used / capacity: 1 untouched, 0 at the limit, negative past it.</summary>
    public double Headroom => Capacity > 0 ? 1 - Used / Capacity : double.NegativeInfinity;
}
