namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>One axis value a headroom search tried.</summary>
/// <param name="Index">Grid index.</param>
/// <param name="Value">The axis value as scenario text.</param>
/// <param name="Replications">Replications the verdict rests on.</param>
/// <param name="Cached">Of those, runs found in the cache.</param>
/// <param name="Estimates">One per SLO, in the order given.</param>
public sealed record HeadroomPoint(int Index, string Value, int Replications, int Cached, IReadOnlyList<SloEstimate> Estimates)
{
    /// <summary>Every SLO met with confidence on its unsafe side.</summary>
    public bool Passes => Estimates.All(estimate => estimate.Met);

    /// <summary>The SLO closest to breaking (least relative margin) at this point.</summary>
    public SloEstimate Binding => Estimates.MinBy(estimate => estimate.Margin / Math.Max(Math.Abs(estimate.Slo.Threshold), 1e-12))!;
}
