namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>How a headroom search runs.</summary>
/// <param name="Axis">The scenario path to search (e.g. <c>services.count</c>).</param>
/// <param name="Slos">Every objective that must hold.</param>
/// <param name="Range">The grid of axis values.</param>
public sealed record HeadroomSettings(string Axis, IReadOnlyList<Slo> Slos, AxisRange Range)
{
    /// <summary>Replications of each point before a verdict (at least 2, for an interval).</summary>
    public int Replications { get; init; } = 3;

    /// <summary>Replications a point whose interval straddles an SLO may grow to; undecided there, it fails.</summary>
    public int MaxReplications { get; init; } = 12;

    /// <summary>Runs at once.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;
}
