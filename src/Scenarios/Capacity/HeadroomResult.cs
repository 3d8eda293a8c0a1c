namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>What a headroom search found.</summary>
/// <param name="Axis">The scenario path searched.</param>
/// <param name="Range">The grid searched.</param>
/// <param name="Points">Every point tried, in axis order.</param>
/// <param name="Answer">The largest value tried at which every SLO holds; null when even the range's low end breaks one.</param>
/// <param name="FirstFailure">The smallest value tried above the answer that breaks an SLO; null when the whole range holds.</param>
/// <param name="Runs">Simulations run (cache hits not counted).</param>
public sealed record HeadroomResult(string Axis, AxisRange Range, IReadOnlyList<HeadroomPoint> Points, HeadroomPoint? Answer, HeadroomPoint? FirstFailure, int Runs)
{
    /// <summary>The SLO that binds: the one furthest past its threshold just above the answer (or at the low end), else the closest to it at the answer.</summary>
    public Slo Binding => (FirstFailure ?? Answer!).Binding.Slo;

    /// <summary>The binding SLO's estimate at the answer; null without an answer.</summary>
    public SloEstimate? BindingAtAnswer => Answer?.Estimates.First(estimate => estimate.Slo == Binding);
}
