using System.Globalization;
using ClusterNetPerf.Scenarios.Output;

namespace ClusterNetPerf.Scenarios.Capacity;

/// <summary>What a sensitivity check found.</summary>
/// <param name="Effects">Every metric that changed under a perturbation.</param>
/// <param name="Inert">Parameters under which no metric changed at all, either way.</param>
/// <param name="Skipped">Parameters that could not be perturbed, with why.</param>
/// <param name="Perturbations">Perturbed scenarios run.</param>
/// <param name="Replications">Replications of each (the base's seeds).</param>
public sealed record SensitivityReport(IReadOnlyList<SensitivityEffect> Effects, IReadOnlyList<string> Inert, IReadOnlyList<string> Skipped, int Perturbations, int Replications)
{
    /// <summary>The effects as sensitivity.csv.</summary>
    public CsvTable Table() => new(
        ["parameter", "factor", "value", "metric", "base_mean", "perturbed_mean", "relative_change", "significant"],
        [.. Effects.Select(effect => (IReadOnlyList<string>)
        [
            effect.Parameter, effect.Factor.ToString("R", CultureInfo.InvariantCulture), effect.Value, effect.Metric,
            MetricColumns.FormatDouble(effect.BaseMean), MetricColumns.FormatDouble(effect.PerturbedMean),
            MetricColumns.FormatDouble(effect.RelativeChange), effect.Significant ? "true" : "false",
        ])]);

    /// <summary>Per parameter that moved something significantly, the metrics it moved most (by relative change).</summary>
    public IEnumerable<(string Parameter, IReadOnlyList<SensitivityEffect> Top)> Movers(int top) =>
        Effects.Where(effect => effect.Significant).GroupBy(effect => effect.Parameter)
            .Select(group => (group.Key, (IReadOnlyList<SensitivityEffect>)[.. group.OrderByDescending(e => double.IsNaN(e.RelativeChange) ? double.MaxValue : Math.Abs(e.RelativeChange)).Take(top)]));
}
